"""Reads for questionnaires. Family scope comes from the access chokepoints
(``babysteps.measures.access``)."""

from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import ordinal
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from babysteps.families.models import Family
from babysteps.measures.definition import Item
from babysteps.measures.models import Administration, Instrument
from babysteps.measures.scoring import AnswerError, item_score, score


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


def positional_options(item: Item, score_min: int) -> tuple[str, ...]:
    """Options named by where they are printed and the score each carries, for an item
    whose licensed wording is not loaded: "1st option printed - scores 3". On a reversed
    item the first printed option is the worst answer, so a bare "first option" misleads."""
    return tuple(
        _("%(ordinal)s option printed - scores %(score)s")
        % {"ordinal": ordinal(position + 1), "score": item_score(item, position, score_min)}
        for position in range(item.positions)
    )


def questionnaire_text(*, instrument: Instrument) -> QuestionnaireText:
    spec = instrument.spec
    loaded = instrument.wording.get("items") or []
    items = []
    for index, item in enumerate(spec.items):
        licensed = loaded[index] if index < len(loaded) else {}
        text = licensed.get("text") or item.text or item.label
        if licensed.get("options"):
            options = tuple(licensed["options"])
        elif spec.wording == "licensed":
            options = positional_options(item, spec.item_score_min)
        else:
            options = item.options
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
    for item, position, stored_score in zip(
        text.items, administration.answers, administration.item_scores, strict=False
    ):
        chosen = item.options[position] if 0 <= position < len(item.options) else "?"
        rows.append(
            AnswerRow(
                item.number,
                item.text,
                chosen,
                position,
                stored_score,
                item.number in safety and stored_score > 0,
            )
        )
    return rows


@dataclass(frozen=True)
class SafetyAnswer:
    number: int
    text: str
    chosen: str
    score: int


def safety_items_answered(
    *, instrument: Instrument, text: QuestionnaireText, answers: list[object]
) -> list[SafetyAnswer]:
    """The safety items these answers trip, by scoring's own rule (``score``), as the
    staff form shows them for confirmation; none while the answers are incomplete or
    wrong (the form's own errors say so)."""
    try:
        result = score(instrument.spec, answers)
    except AnswerError:
        return []
    found = []
    for number in result.safety_items_tripped:
        view = text.items[number - 1]
        found.append(
            SafetyAnswer(
                view.number,
                view.text,
                view.options[result.positions[number - 1]],
                result.item_scores[number - 1],
            )
        )
    return found


@dataclass(frozen=True)
class ResultInWords:
    band: str
    subscales: list[tuple[str, object]]


def result_in_words(*, administration: Administration) -> ResultInWords:
    """The band and subscales by their names, never their codes."""
    spec = administration.instrument.spec
    band = next((b.label for b in spec.bands if b.code == administration.band), "")
    names = {s.code: s.name for s in spec.subscales}
    return ResultInWords(
        band=band,
        subscales=[
            (names.get(code, code), value) for code, value in administration.subscales.items()
        ],
    )
