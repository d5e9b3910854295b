"""The instrument definition format: parsing and checking a definition (a dict read from
a YAML or JSON file, or from the database) into immutable objects. Pure: no Django.

A definition names its items and their options, the keying of each item (forward: the
score is the position plus ``item_score_min``; reverse: the last position scores lowest),
subscales, the total's range (or a raw-to-metric table), bands, caseness, direction,
safety items, the reliability used for the reliable change index, and the licence notice.
See ``instruments/*.yaml`` for the shipped ones and docs/architecture.md for the format.
Pure (no Django): pydantic checks the definition as written.
"""

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError


class DefinitionError(ValueError):
    """A definition that cannot be used. ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Item:
    number: int
    label: str
    keying: str
    options: tuple[str, ...]
    text: str = ""

    @property
    def positions(self) -> int:
        return len(self.options)


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    min: float
    max: float
    elevated: bool = False
    alert: bool = False

    def contains(self, value: float) -> bool:
        return self.min <= value <= self.max


@dataclass(frozen=True)
class Subscale:
    code: str
    name: str
    items: tuple[int, ...]
    min: int
    max: int
    threshold_min: float | None = None
    threshold_label: str = ""


@dataclass(frozen=True)
class SafetyItem:
    item: int
    label: str


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    short_name: str
    version: int
    direction: str
    licence: str
    wording: str
    stem: str
    item_score_min: int
    items: tuple[Item, ...]
    total_min: float
    total_max: float
    bands: tuple[Band, ...]
    caseness_min: float | None
    caseness_max: float | None
    safety_items: tuple[SafetyItem, ...]
    subscales: tuple[Subscale, ...]
    reliable_change_fixed: float | None
    retest_r: float | None
    reliable_change_source: str = ""
    metric_table: dict[int, float] = field(default_factory=dict)

    @property
    def lower_is_better(self) -> bool:
        return self.direction == "lower_is_better"

    @property
    def raw_min(self) -> int:
        return sum(self.item_score_min for _ in self.items)

    @property
    def raw_max(self) -> int:
        return sum(self.item_score_min + i.positions - 1 for i in self.items)

    def is_case(self, total: float) -> bool:
        if self.caseness_min is not None:
            return total >= self.caseness_min
        if self.caseness_max is not None:
            return total <= self.caseness_max
        return False

    def band_for(self, total: float) -> Band | None:
        return next((b for b in self.bands if b.contains(total)), None)

    def item(self, number: int) -> Item:
        return next(i for i in self.items if i.number == number)


# --- The definition as written (YAML, JSON or the admin's text), checked by pydantic ---------
# Each model checks its own part; checks that need another part (an item a safety item
# names, the total the items give) use the parts declared before them. Every problem is
# reported at once, each with its location ("items.3.keying: ...").


class _Part(BaseModel):
    # Definitions may carry notes of their own (e.g. ``source_item``); they are kept as
    # written and ignored here.
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)


class _ItemIn(_Part):
    number: int | None = None
    label: str = Field(min_length=1)
    keying: Literal["forward", "reverse"] = "forward"
    options: list[Annotated[str, Field(min_length=1)]] | None = Field(None, min_length=2)
    text: str = ""


class _RangeIn(_Part):
    min: float
    max: float


class _BandIn(_Part):
    code: str = Field(min_length=1)
    label: str = ""
    min: float
    max: float
    elevated: bool = False
    alert: bool = False


class _CasenessIn(_Part):
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> "_CasenessIn":
        if self.min is None and self.max is None:
            raise ValueError("give 'min' (a case at or above) or 'max' (at or below)")
        return self


class _SafetyIn(_Part):
    item: int
    label: str = ""


class _ThresholdIn(_Part):
    min: float | None = None
    label: str = ""


class _SubscaleIn(_Part):
    code: str = Field(min_length=1)
    name: str = ""
    items: list[int] = Field(min_length=1)
    threshold: _ThresholdIn | None = None


class _ReliableChangeIn(_Part):
    fixed: float | None = Field(None, gt=0)
    retest_r: float | None = Field(None, gt=0, lt=1)
    source: str = ""

    @model_validator(mode="after")
    def _one_way(self) -> "_ReliableChangeIn":
        if (self.fixed is None) == (self.retest_r is None):
            raise ValueError("give either 'fixed' (a threshold) or 'retest_r'")
        return self


class _DefinitionIn(_Part):
    code: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1)
    short_name: str = ""
    version: int = Field(1, ge=1)
    direction: Literal["lower_is_better", "higher_is_better"]
    licence: str = Field(min_length=1)
    wording: Literal["included", "licensed"] = "included"
    stem: str = ""
    item_score_min: int = 0
    options: list[Annotated[str, Field(min_length=1)]] = []
    items: list[_ItemIn] = Field(min_length=1)
    # Keys are written as numbers in YAML but come back as strings from JSON (the database).
    metric_table: dict[Annotated[int, Field(strict=False)], float] | None = None
    total: _RangeIn
    bands: list[_BandIn] = []
    caseness: _CasenessIn | None = None
    safety_items: list[_SafetyIn | int] = []
    subscales: list[_SubscaleIn] = []
    reliable_change: _ReliableChangeIn

    @field_validator("items")
    @classmethod
    def _numbered_in_order(cls, items: list[_ItemIn], info: ValidationInfo) -> list[_ItemIn]:
        for index, item in enumerate(items, start=1):
            if item.number not in (None, index):
                raise ValueError(f"item {index}: items must be numbered 1, 2, 3... in order")
            if item.options is None and len(info.data.get("options") or []) < 2:
                raise ValueError(f"item {index}: needs at least two options (own or the default)")
        return items

    @field_validator("bands")
    @classmethod
    def _bands_apart(cls, bands: list[_BandIn]) -> list[_BandIn]:
        ordered = sorted(bands, key=lambda b: b.min)
        for first, second in pairwise(ordered):
            if second.min <= first.max:
                raise ValueError(f"'{first.code}' and '{second.code}' overlap")
        return ordered

    @field_validator("safety_items")
    @classmethod
    def _safety_items_exist(
        cls, safety: list[_SafetyIn | int], info: ValidationInfo
    ) -> list[_SafetyIn | int]:
        count = len(info.data.get("items") or [])
        for entry in safety:
            number = entry if isinstance(entry, int) else entry.item
            if not 1 <= number <= count:
                raise ValueError(f"there is no item {number}")
        return safety

    @field_validator("subscales")
    @classmethod
    def _subscale_items_exist(
        cls, subscales: list[_SubscaleIn], info: ValidationInfo
    ) -> list[_SubscaleIn]:
        count = len(info.data.get("items") or [])
        for sub in subscales:
            if not all(1 <= n <= count for n in sub.items):
                raise ValueError(f"'{sub.code}' names items that do not exist")
        return subscales


_NO_CASENESS = _CasenessIn.model_construct(min=None, max=None)


def _item_options(data: _DefinitionIn) -> list[tuple[str, ...]]:
    return [tuple(i.options if i.options is not None else data.options) for i in data.items]


def _check_totals(data: _DefinitionIn) -> dict[int, float]:
    """The metric table, after checking that the items give the total's range (or that the
    table covers every raw total they can give)."""
    low = data.item_score_min * len(data.items)
    high = sum(data.item_score_min + len(o) - 1 for o in _item_options(data))
    table = dict(data.metric_table or {})
    if table and set(table) != set(range(low, high + 1)):
        raise DefinitionError([f"metric_table: must give every raw total from {low} to {high}."])
    if not table and (data.total.min, data.total.max) != (low, high):
        raise DefinitionError(
            [
                f"total: the items give {low}-{high}, not {data.total.min:g}-{data.total.max:g}; "
                "check the options and item_score_min."
            ]
        )
    return table


def _problems(error: PydanticValidationError) -> list[str]:
    out = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "instrument"
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "missing":
            message = "is missing"
        out.append(f"{where}: {message}.")
    return out


def _safety_item(entry: _SafetyIn | int) -> SafetyItem:
    if isinstance(entry, int):
        return SafetyItem(entry, f"Item {entry}")
    return SafetyItem(entry.item, entry.label or f"Item {entry.item}")


def _subscale(sub: _SubscaleIn, score_min: int, options: list[tuple[str, ...]]) -> Subscale:
    threshold = sub.threshold or _ThresholdIn()
    return Subscale(
        code=sub.code,
        name=sub.name or sub.code,
        items=tuple(sub.items),
        min=score_min * len(sub.items),
        max=sum(score_min + len(options[n - 1]) - 1 for n in sub.items),
        threshold_min=threshold.min,
        threshold_label=threshold.label,
    )


def parse_definition(data: Any) -> Instrument:
    """Check a definition and build the Instrument; DefinitionError lists every problem,
    each with its location."""
    if not isinstance(data, dict):
        raise DefinitionError(["The definition must be a mapping (key: value pairs)."])
    try:
        checked = _DefinitionIn.model_validate(data)
    except PydanticValidationError as exc:
        raise DefinitionError(_problems(exc)) from None
    metric_table = _check_totals(checked)
    options = _item_options(checked)
    items = tuple(
        Item(n, i.label, i.keying, options[n - 1], i.text)
        for n, i in enumerate(checked.items, start=1)
    )
    score_min = checked.item_score_min
    return Instrument(
        code=checked.code,
        name=checked.name,
        short_name=checked.short_name or checked.code.upper(),
        version=checked.version,
        direction=checked.direction,
        licence=" ".join(checked.licence.split()),
        wording=checked.wording,
        stem=checked.stem,
        item_score_min=score_min,
        items=items,
        total_min=checked.total.min,
        total_max=checked.total.max,
        bands=tuple(
            Band(b.code, b.label or b.code, b.min, b.max, b.elevated, b.alert)
            for b in checked.bands
        ),
        caseness_min=(checked.caseness or _NO_CASENESS).min,
        caseness_max=(checked.caseness or _NO_CASENESS).max,
        safety_items=tuple(_safety_item(e) for e in checked.safety_items),
        subscales=tuple(_subscale(sub, score_min, options) for sub in checked.subscales),
        reliable_change_fixed=checked.reliable_change.fixed,
        retest_r=checked.reliable_change.retest_r,
        reliable_change_source=checked.reliable_change.source,
        metric_table=metric_table,
    )


def scoring_content(data: dict[str, Any]) -> dict[str, Any]:
    """The parts of a definition that change scores (not labels or wording): when these
    change, the scoring version goes up and stored scores can be re-scored."""
    return {
        "items": [
            {
                "keying": i.get("keying", "forward"),
                "positions": len(i.get("options", data.get("options") or [])),
            }
            for i in data.get("items") or []
        ],
        "item_score_min": data.get("item_score_min", 0),
        "metric_table": {str(k): v for k, v in (data.get("metric_table") or {}).items()},
        "bands": data.get("bands") or [],
        "caseness": data.get("caseness"),
        "safety_items": data.get("safety_items") or [],
        "subscales": data.get("subscales") or [],
    }
