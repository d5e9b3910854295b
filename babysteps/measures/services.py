"""Writes for questionnaires: instrument definitions, their licensed wording, recording an
administration (staff or the parent portal, one service for both), and re-scoring.

``administration_submit`` is the one way answers are stored. It validates everything
first (no half-written questionnaire), stores item-level positions with the scores derived
from them, and raises any safety alert in the same transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object, audit_record
from babysteps.cohorts.models import Cohort, Enrolment
from babysteps.families.models import Family, Parent
from babysteps.measures.catalogue import check_wording, scoring_fingerprint
from babysteps.measures.definition import DefinitionError, parse_definition
from babysteps.measures.hooks import administration_scored, administration_voided
from babysteps.measures.models import Administration, Instrument, InstrumentRevision
from babysteps.measures.scoring import AnswerError, Score, score

EARLIEST_DATE = date(2010, 1, 1)
SCORE_FIELDS = (
    "item_scores",
    "raw_total",
    "total",
    "band",
    "is_case",
    "elevated",
    "safety_flag",
    "subscales",
    "scoring_version",
    "scored_at",
)


@dataclass(frozen=True)
class SubmitResult:
    administration: Administration
    score: Score
    # What scoring led to: the safety alerts raised (by the alerts app, ``hooks``).
    alerts: list[Any] = field(default_factory=list)

    @property
    def urgent_help(self) -> bool:
        """Show the urgent-help routes now (a parent answering a safety item above 0)."""
        return self.score.safety_flag


# --- Instruments ---------------------------------------------------------------------


@transaction.atomic
def instrument_save(*, data: dict[str, Any], changed_by: User | None) -> Instrument:
    """Add an instrument, or replace an existing one's definition. When the scoring rules
    change, the scoring version goes up (to the file's version if higher), so stored
    scores can be found and re-scored (``manage.py rescore``)."""
    try:
        spec = parse_definition(data)
    except DefinitionError as exc:
        raise ValidationError({"definition": exc.problems}) from None
    instrument = Instrument.objects.select_for_update().filter(code=spec.code).first()
    if instrument is None:
        instrument = Instrument.objects.create(
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            version=spec.version,
            definition=data,
        )
        action, changed = Action.CREATE, ["definition"]
    else:
        scoring_changed = scoring_fingerprint(instrument.definition) != scoring_fingerprint(data)
        changed = [
            name
            for name, old, new in (
                ("name", instrument.name, spec.name),
                ("short_name", instrument.short_name, spec.short_name),
                ("definition", instrument.definition, data),
            )
            if old != new
        ]
        if not changed:
            return instrument
        if scoring_changed:
            instrument.version = max(spec.version, instrument.version + 1)
            changed.append("version")
        instrument.name, instrument.short_name, instrument.definition = (
            spec.name,
            spec.short_name,
            data,
        )
        instrument.save()
        action = Action.CHANGE
    instrument.__dict__.pop("spec", None)
    InstrumentRevision.objects.create(
        instrument=instrument,
        version=instrument.version,
        definition=data,
        changed_by=changed_by,
    )
    audit_object(actor=changed_by, action=action, obj=instrument, detail={"fields": changed})
    return instrument


@transaction.atomic
def instrument_wording_load(
    *, wording: dict[str, dict[str, Any]], changed_by: User | None
) -> list[str]:
    """Store the licensed wording for the instruments it names (all checked first)."""
    instruments = {i.code: i for i in Instrument.objects.filter(code__in=list(wording))}
    problems = [f"{code}: no such instrument." for code in wording if code not in instruments]
    for code, text in wording.items():
        if code in instruments:
            problems += check_wording(instruments[code].definition, text)
    if problems:
        raise ValidationError({"wording": problems})
    for code, text in wording.items():
        instrument = instruments[code]
        if instrument.wording != text:
            instrument.wording = text
            instrument.save(update_fields=["wording", "updated_at"])
            audit_object(
                actor=changed_by,
                action=Action.CHANGE,
                obj=instrument,
                detail={"fields": ["wording"]},
            )
    return sorted(wording)


# --- Administrations -------------------------------------------------------------------


def cohort_for_questionnaire(*, family: Family) -> Cohort | None:
    """The cohort a questionnaire belongs to: the family's open place, else its latest."""
    enrolments = list(Enrolment.objects.filter(family=family).select_related("cohort"))
    if not enrolments:
        return None
    open_places = [e for e in enrolments if e.status in Enrolment.OPEN]
    chosen = max(open_places or enrolments, key=lambda e: (e.created_at, e.pk))
    return chosen.cohort


@transaction.atomic
def administration_submit(
    *,
    family: Family,
    parent: Parent,
    instrument: Instrument,
    timepoint: str,
    mode: str,
    answers: Sequence[Any],
    recorded_by: User | None,
    administered_on: date | None = None,
    actor_label: str = "",
    safety_confirmed: bool = True,
    today: date | None = None,
    now: datetime | None = None,
) -> SubmitResult:
    """Store one parent's answers to one instrument at one time point, score them, and
    raise any safety alert, all in one transaction.

    Staff call it with ``mode`` in person or phone and ``recorded_by`` set; the parent
    portal calls it with ``mode="portal"``, ``recorded_by=None`` and an ``actor_label``
    naming the parent for the audit trail (e.g. ``"parent:42"``). Errors are a
    ValidationError naming the field: ``item_N`` for an item, ``answers`` for the count.
    Staff pages pass ``safety_confirmed=False`` until the member of staff has confirmed an
    answer above 0 to a safety item (``confirm_safety``): a slip there raises an alert.
    """
    day = today or timezone.localdate()
    when = administered_on or day
    errors: dict[str, str] = {}
    if parent.family_id != family.pk:
        errors["parent"] = _("Choose the mother or the partner of this family.")
    if not instrument.active:
        errors["instrument"] = _("This questionnaire is no longer offered.")
    if timepoint not in Administration.Timepoint.values:
        errors["timepoint"] = _("Choose pre, mid, post or follow-up.")
    if mode not in Administration.Mode.values:
        errors["mode"] = _("Choose in person, by phone or in the portal.")
    elif mode != Administration.Mode.PORTAL and recorded_by is None:
        errors["mode"] = _("A questionnaire taken in person or by phone is recorded by staff.")
    if when > day:
        errors["administered_on"] = _("The date cannot be in the future.")
    elif when < EARLIEST_DATE:
        errors["administered_on"] = _("That date is too long ago. Check the year.")
    result: Score | None = None
    try:
        result = score(instrument.spec, answers)
    except AnswerError as exc:
        errors.update(exc.errors)
    cohort = cohort_for_questionnaire(family=family)
    if "timepoint" not in errors and "parent" not in errors:
        duplicate = (
            Administration.objects.counted()
            .filter(parent=parent, instrument=instrument, timepoint=timepoint, cohort=cohort)
            .exists()
        )
        if duplicate:
            errors["timepoint"] = _(
                "%(short_name)s at this time point is already recorded for this parent."
            ) % {"short_name": instrument.short_name}
    if result is not None and result.safety_items_tripped and not safety_confirmed:
        errors["confirm_safety"] = _(
            "Check the answer to item %(items)s and confirm it: it raises a safety alert."
        ) % {"items": ", ".join(str(n) for n in result.safety_items_tripped)}
    if errors or result is None:
        raise ValidationError(errors)
    moment = now or timezone.now()
    try:
        with transaction.atomic():
            administration = Administration.objects.create(
                family=family,
                parent=parent,
                respondent_role=parent.role,
                cohort=cohort,
                instrument=instrument,
                timepoint=timepoint,
                mode=mode,
                administered_on=when,
                answers=list(result.positions),
                recorded_by=recorded_by,
                **_score_values(result, moment),
            )
    except IntegrityError:
        # The same time point was recorded a moment ago (the unique constraint caught it).
        raise ValidationError(
            {
                "timepoint": _("%(short_name)s at this time point is already recorded.")
                % {"short_name": instrument.short_name}
            }
        ) from None
    audit_record(
        actor=recorded_by,
        actor_label=actor_label,
        action=Action.CREATE,
        object_type="administration",
        object_id=administration.pk,
        family_id=family.pk,
        site_id=family.site_id,
        detail={"fields": ["answers", *SCORE_FIELDS], "instrument": instrument.code},
    )
    raised = administration_scored(
        administration=administration,
        score=result,
        actor=recorded_by,
        actor_label=actor_label,
        now=moment,
    )
    return SubmitResult(administration=administration, score=result, alerts=raised)


def _score_values(result: Score, moment: datetime) -> dict[str, Any]:
    return {
        "item_scores": list(result.item_scores),
        "raw_total": result.raw_total,
        "total": result.total,
        "band": result.band or "",
        "is_case": result.is_case,
        "elevated": result.elevated,
        "safety_flag": result.safety_flag,
        "subscales": result.subscales,
        "scoring_version": result.version,
        "scored_at": moment,
    }


@dataclass(frozen=True)
class RescoreResult:
    checked: int
    changed: int
    alerts: int


@transaction.atomic
def administrations_rescore(
    *, instrument: Instrument, changed_by: User | None, everything: bool = False
) -> RescoreResult:
    """Re-derive stored scores from the stored answers with the instrument's current rules
    (after a keying correction). By default only scores from an older scoring version.
    A score that now trips a safety item or the highest band raises its alert."""
    instrument.__dict__.pop("spec", None)
    spec = instrument.spec
    rows = Administration.objects.filter(instrument=instrument).select_related(
        "family__site", "parent", "instrument"
    )
    if not everything:
        rows = rows.exclude(scoring_version=instrument.version)
    checked = changed = alerts = 0
    moment = timezone.now()
    for administration in rows.order_by("pk"):
        checked += 1
        result = score(spec, administration.answers)
        values = _score_values(result, moment)
        different = [
            name
            for name, value in values.items()
            if name != "scored_at" and getattr(administration, name) != value
        ]
        if not different:
            continue
        for name, value in values.items():
            setattr(administration, name, value)
        administration.save(update_fields=list(values))
        audit_object(
            actor=changed_by,
            action=Action.CHANGE,
            obj=administration,
            family_id=administration.family_id,
            site_id=administration.family.site_id,
            detail={"fields": different, "rescored_to_version": instrument.version},
        )
        changed += 1
        alerts += len(
            administration_scored(administration=administration, score=result, actor=changed_by)
        )
    return RescoreResult(checked=checked, changed=changed, alerts=alerts)


VOID_REASON_MIN = 10


@transaction.atomic
def administration_void(
    *,
    administration: Administration,
    voided_by: User,
    reason: str,
    now: datetime | None = None,
) -> Administration:
    """Void a questionnaire entered in error: kept with who, when and why, never deleted;
    it leaves every figure (``Administration.objects.counted()``), the time point can be
    recorded again, and its alerts are closed as entered in error with the reason."""
    reason = " ".join(reason.split())
    if len(reason) < VOID_REASON_MIN:
        raise ValidationError({"reason": _("Say why it was entered in error (a short sentence).")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    moment = now or timezone.now()
    updated = Administration.objects.filter(pk=administration.pk, voided_at__isnull=True).update(
        voided_at=moment, voided_by=voided_by, void_reason=reason
    )
    if not updated:
        raise ValidationError({"reason": _("This questionnaire has already been voided.")})
    administration.refresh_from_db()
    audit_object(
        actor=voided_by,
        action=Action.CHANGE,
        obj=administration,
        family_id=administration.family_id,
        site_id=administration.family.site_id,
        detail={"fields": ["voided_at", "voided_by", "void_reason"], "void": True},
    )
    administration_voided(
        administration=administration, voided_by=voided_by, reason=reason, now=moment
    )
    return administration
