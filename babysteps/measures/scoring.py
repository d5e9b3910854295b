"""Scoring a questionnaire from its answers. Pure: no Django, no database.

Answers are the 0-based positions of the chosen options, in the order they are printed.
Item scores come from the instrument's keying; the total is their sum (or, for an
instrument with a metric table such as SWEMWBS, the metric score of the raw sum).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from babysteps.measures.definition import Instrument, Item


class AnswerError(ValueError):
    """Answers that cannot be scored. ``errors`` maps a field ("answers" for the list as a
    whole, "item_N" for item N) to a message, so forms and the API can show it in place."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Score:
    instrument: str
    version: int
    positions: tuple[int, ...]
    item_scores: tuple[int, ...]
    raw_total: int
    total: float
    band: str | None
    band_label: str
    elevated: bool
    highest_band_alert: bool
    is_case: bool
    safety_items_tripped: tuple[int, ...]
    subscales: dict[str, int]
    subscale_flags: dict[str, bool]
    metric: bool = False

    @property
    def safety_flag(self) -> bool:
        return bool(self.safety_items_tripped)

    def as_dict(self) -> dict[str, Any]:
        total: float | int = self.total if self.metric else int(self.total)
        return {
            "instrument": self.instrument,
            "scoring_version": self.version,
            "total": total,
            "raw_total": self.raw_total,
            "band": self.band,
            "band_label": self.band_label,
            "caseness": self.is_case,
            "safety_flag": self.safety_flag,
            "safety_items": list(self.safety_items_tripped),
            "item_scores": list(self.item_scores),
            "subscales": dict(self.subscales),
            "subscale_flags": dict(self.subscale_flags),
        }


def item_score(item: Item, position: int, score_min: int) -> int:
    if item.keying == "reverse":
        return score_min + (item.positions - 1 - position)
    return score_min + position


def check_answers(instrument: Instrument, answers: Sequence[Any]) -> tuple[int, ...]:
    """The answers as whole-number positions, or AnswerError naming what is wrong."""
    if len(answers) != len(instrument.items):
        raise AnswerError(
            {
                "answers": f"{instrument.short_name} has {len(instrument.items)} items; "
                f"{len(answers)} answers were given."
            }
        )
    errors: dict[str, str] = {}
    positions: list[int] = []
    for item, raw in zip(instrument.items, answers, strict=True):
        value: int | None = None
        if isinstance(raw, bool):
            value = None
        elif isinstance(raw, int):
            value = raw
        elif isinstance(raw, float) and raw.is_integer():
            value = int(raw)
        elif isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
            value = int(raw.strip())
        if value is None:
            errors[f"item_{item.number}"] = (
                "Choose one of the options (the answer is missing or not a number)."
            )
        elif not 0 <= value < item.positions:
            errors[f"item_{item.number}"] = (
                f"Choose one of the {item.positions} options (positions 0 to {item.positions - 1})."
            )
        else:
            positions.append(value)
    if errors:
        raise AnswerError(errors)
    return tuple(positions)


def score(instrument: Instrument, answers: Sequence[Any]) -> Score:
    """Score one administration. Raises AnswerError for a wrong count or a bad position."""
    positions = check_answers(instrument, answers)
    scores = tuple(
        item_score(item, p, instrument.item_score_min)
        for item, p in zip(instrument.items, positions, strict=True)
    )
    raw = sum(scores)
    total = instrument.metric_table[raw] if instrument.metric_table else float(raw)
    band = instrument.band_for(total)
    highest_alert = band is not None and band.alert
    subscales = {s.code: sum(scores[n - 1] for n in s.items) for s in instrument.subscales}
    flags = {
        s.code: s.threshold_min is not None and subscales[s.code] >= s.threshold_min
        for s in instrument.subscales
    }
    tripped = tuple(s.item for s in instrument.safety_items if scores[s.item - 1] > 0)
    return Score(
        instrument=instrument.code,
        version=instrument.version,
        positions=positions,
        item_scores=scores,
        raw_total=raw,
        total=total,
        band=band.code if band else None,
        band_label=band.label if band else "",
        elevated=bool(band and band.elevated),
        highest_band_alert=highest_alert,
        is_case=instrument.is_case(total),
        safety_items_tripped=tripped,
        subscales=subscales,
        subscale_flags=flags,
        metric=bool(instrument.metric_table),
    )


def positions_for_scores(instrument: Instrument, item_scores: Sequence[int]) -> list[int]:
    """The positions that give these item scores (the inverse of the keying); used by the
    demo and tests to build answers for a wanted score."""
    positions = []
    for item, value in zip(instrument.items, item_scores, strict=True):
        offset = value - instrument.item_score_min
        positions.append(item.positions - 1 - offset if item.keying == "reverse" else offset)
    return positions
