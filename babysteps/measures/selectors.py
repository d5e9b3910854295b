"""Reads for questionnaires. Family scope comes from the access chokepoints
(``babysteps.measures.access``)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from babysteps.families.models import Family
from babysteps.measures.models import Administration, Instrument


def instruments_offered() -> QuerySet[Instrument]:
    return Instrument.objects.filter(active=True).order_by("short_name")


def family_administrations(*, family: Family) -> QuerySet[Administration]:
    return (
        Administration.objects.filter(family=family)
        .select_related("instrument", "parent", "recorded_by")
        .prefetch_related("alerts")
        .order_by("-administered_on", "-pk")
    )


@dataclass(frozen=True)
class ItemView:
    number: int
    text: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class QuestionnaireText:
    """What to show for each item: the licensed wording when loaded, else short labels."""

    stem: str
    items: tuple[ItemView, ...]
    full_wording: bool
    licence: str


def questionnaire_text(*, instrument: Instrument) -> QuestionnaireText:
    spec = instrument.spec
    loaded = instrument.wording.get("items") or []
    items = []
    for index, item in enumerate(spec.items):
        licensed = loaded[index] if index < len(loaded) else {}
        text = licensed.get("text") or item.text or item.label
        options = tuple(licensed.get("options") or item.options)
        items.append(ItemView(item.number, text, options))
    return QuestionnaireText(
        stem=instrument.wording.get("stem") or spec.stem,
        items=tuple(items),
        full_wording=instrument.has_full_wording,
        licence=spec.licence,
    )


@dataclass(frozen=True)
class AnswerRow:
    number: int
    text: str
    chosen: str
    position: int
    score: int
    safety: bool


def administration_answers(*, administration: Administration) -> list[AnswerRow]:
    text = questionnaire_text(instrument=administration.instrument)
    safety = {s.item for s in administration.instrument.spec.safety_items}
    rows = []
    for item, position, item_score in zip(
        text.items, administration.answers, administration.item_scores, strict=False
    ):
        chosen = item.options[position] if 0 <= position < len(item.options) else "?"
        rows.append(
            AnswerRow(
                item.number,
                item.text,
                chosen,
                position,
                item_score,
                item.number in safety and item_score > 0,
            )
        )
    return rows
