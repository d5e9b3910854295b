"""The instrument definition format: parsing and checking a definition (a dict read from
a YAML or JSON file, or from the database) into immutable objects. Pure: no Django.

A definition names its items and their options, the keying of each item (forward: the
score is the position plus ``item_score_min``; reverse: the last position scores lowest),
subscales, the total's range (or a raw-to-metric table), bands, caseness, direction,
safety items, the reliability used for the reliable change index, and the licence notice.
See ``instruments/*.yaml`` for the shipped ones and the README for the format.
"""

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

DIRECTIONS = ("lower_is_better", "higher_is_better")
KEYINGS = ("forward", "reverse")
WORDINGS = ("included", "licensed")


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


def _req(
    data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str, problems: list[str]
) -> Any:
    value = data.get(key)
    wrong_type = not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool)
    if value is None or wrong_type:
        problems.append(f"{where}: '{key}' is missing or not a {getattr(kind, '__name__', kind)}.")
        return None
    return value


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_definition(data: Any) -> Instrument:
    """Check a definition and build the Instrument; DefinitionError lists every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionError(["The definition must be a mapping (key: value pairs)."])
    code = _req(data, "code", str, "instrument", problems) or ""
    if code and not (code.isascii() and code.replace("_", "").isalnum() and code.islower()):
        problems.append("instrument: 'code' must be lower-case letters, digits and underscores.")
    name = _req(data, "name", str, "instrument", problems) or ""
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append("instrument: 'version' must be a whole number of 1 or more.")
        version = 1
    direction = data.get("direction")
    if direction not in DIRECTIONS:
        problems.append(f"instrument: 'direction' must be one of {', '.join(DIRECTIONS)}.")
    licence = _req(data, "licence", str, "instrument", problems) or ""
    wording = data.get("wording", "included")
    if wording not in WORDINGS:
        problems.append(f"instrument: 'wording' must be one of {', '.join(WORDINGS)}.")
    score_min = data.get("item_score_min", 0)
    if not isinstance(score_min, int) or isinstance(score_min, bool):
        problems.append("instrument: 'item_score_min' must be a whole number.")
        score_min = 0
    default_options = data.get("options") or []
    items: list[Item] = []
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        problems.append("instrument: 'items' must be a non-empty list.")
        raw_items = []
    for index, raw in enumerate(raw_items, start=1):
        where = f"item {index}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be a mapping.")
            continue
        number = raw.get("number", index)
        if number != index:
            problems.append(f"{where}: items must be numbered 1, 2, 3... in order.")
        label = _req(raw, "label", str, where, problems) or ""
        keying = raw.get("keying", "forward")
        if keying not in KEYINGS:
            problems.append(f"{where}: 'keying' must be forward or reverse.")
        options = raw.get("options", default_options)
        if (
            not isinstance(options, list)
            or len(options) < 2
            or not all(isinstance(o, str) and o for o in options)
        ):
            problems.append(f"{where}: needs at least two option labels (own or the default).")
            options = ["?", "?"]
        items.append(Item(index, label, keying, tuple(options), str(raw.get("text", ""))))
    raw_min = score_min * len(items)
    raw_max = sum(score_min + i.positions - 1 for i in items)
    metric_table: dict[int, float] = {}
    raw_table = data.get("metric_table")
    if raw_table is not None:
        if not isinstance(raw_table, dict):
            problems.append("metric_table: must map each raw total to its metric score.")
        else:
            try:
                metric_table = {int(k): float(v) for k, v in raw_table.items()}
            except (TypeError, ValueError):
                problems.append("metric_table: raw totals and metric scores must be numbers.")
            if metric_table and set(metric_table) != set(range(raw_min, raw_max + 1)):
                problems.append(
                    f"metric_table: must give every raw total from {raw_min} to {raw_max}."
                )
    total = data.get("total") or {}
    total_min, total_max = total.get("min"), total.get("max")
    if not (_number(total_min) and _number(total_max)):
        problems.append("total: give 'min' and 'max'.")
        total_min, total_max = raw_min, raw_max
    elif not metric_table and (total_min, total_max) != (raw_min, raw_max):
        problems.append(
            f"total: the items give {raw_min}-{raw_max}, not {total_min}-{total_max}; "
            "check the options and item_score_min."
        )
    bands: list[Band] = []
    for raw in data.get("bands") or []:
        if not isinstance(raw, dict) or not _number(raw.get("min")) or not _number(raw.get("max")):
            problems.append("bands: each band needs a code, a label, a min and a max.")
            continue
        bands.append(
            Band(
                code=str(raw.get("code", "")),
                label=str(raw.get("label", raw.get("code", ""))),
                min=raw["min"],
                max=raw["max"],
                elevated=bool(raw.get("elevated", False)),
                alert=bool(raw.get("alert", False)),
            )
        )
    ordered = sorted(bands, key=lambda b: b.min)
    for first, second in pairwise(ordered):
        if second.min <= first.max:
            problems.append(f"bands: '{first.code}' and '{second.code}' overlap.")
    if any(not b.code for b in bands):
        problems.append("bands: every band needs a code.")
    caseness = data.get("caseness") or {}
    caseness_min, caseness_max = caseness.get("min"), caseness.get("max")
    if caseness and not (_number(caseness_min) or _number(caseness_max)):
        problems.append("caseness: give 'min' (a case at or above) or 'max' (at or below).")
    numbers = {i.number for i in items}
    safety: list[SafetyItem] = []
    for raw in data.get("safety_items") or []:
        item = raw.get("item") if isinstance(raw, dict) else raw
        if item not in numbers:
            problems.append(f"safety_items: there is no item {item}.")
            continue
        label = raw.get("label", "") if isinstance(raw, dict) else ""
        safety.append(SafetyItem(item, str(label or f"Item {item}")))
    subscales: list[Subscale] = []
    for raw in data.get("subscales") or []:
        sub_items = tuple(raw.get("items") or ())
        if not sub_items or not set(sub_items) <= numbers:
            problems.append(f"subscales: '{raw.get('code')}' names items that do not exist.")
            continue
        threshold = raw.get("threshold") or {}
        subscales.append(
            Subscale(
                code=str(raw.get("code", "")),
                name=str(raw.get("name", raw.get("code", ""))),
                items=sub_items,
                min=sum(score_min for _ in sub_items),
                max=sum(score_min + items[n - 1].positions - 1 for n in sub_items),
                threshold_min=threshold.get("min"),
                threshold_label=str(threshold.get("label", "")),
            )
        )
    rc = data.get("reliable_change") or {}
    fixed, retest = rc.get("fixed"), rc.get("retest_r")
    if fixed is not None and not (_number(fixed) and fixed > 0):
        problems.append("reliable_change: 'fixed' must be a positive number.")
    if retest is not None and not (_number(retest) and 0 < retest < 1):
        problems.append("reliable_change: 'retest_r' must be between 0 and 1.")
    if (fixed is None) == (retest is None):
        problems.append("reliable_change: give either 'fixed' (a threshold) or 'retest_r'.")
    if problems:
        raise DefinitionError(problems)
    return Instrument(
        code=code,
        name=name,
        short_name=str(data.get("short_name") or code.upper()),
        version=version,
        direction=direction,
        licence=" ".join(licence.split()),
        wording=wording,
        stem=str(data.get("stem", "")),
        item_score_min=score_min,
        items=tuple(items),
        total_min=total_min,
        total_max=total_max,
        bands=tuple(ordered),
        caseness_min=caseness_min,
        caseness_max=caseness_max,
        safety_items=tuple(safety),
        subscales=tuple(subscales),
        reliable_change_fixed=fixed,
        retest_r=retest,
        reliable_change_source=str(rc.get("source", "")),
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
