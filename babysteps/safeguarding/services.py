"""Writes for the safe-and-well loop: signposting, claiming, calls, the outcome,
withdrawal, and the record of immediate-risk action. Every function validates
everything first, writes in one transaction and audits the change (field names only).

Free text (summary, reasons for going ahead without consent, notes) is never put in an
exception message, a log line or an audit detail; ``sensitive_variables`` keeps it out
of Django's error reports too.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from babysteps.accounts.models import User
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core.tasks import enqueue_at
from babysteps.families.models import Family, Parent
from babysteps.safeguarding import due, notify
from babysteps.safeguarding.models import (
    CallAttempt,
    ImmediateRiskAction,
    ReferralReason,
    SafeAndWellReferral,
    Urgency,
)
from babysteps.safeguarding.phone import InvalidPhoneNumber, normalise_uk_phone

Referral = SafeAndWellReferral
Status = SafeAndWellReferral.Status
# Consent to signpost is asked for at the time: an old "yes" is asked again.
CONSENT_MAX_AGE_DAYS = 30
# Clocks differ a little between devices; a call logged "now" may be seconds ahead.
CLOCK_SKEW = timedelta(minutes=5)
NOT_SAVED = "The referral could not be saved. Check the form and try again."


def _audit_change(
    *, actor: User | None, referral: SafeAndWellReferral, action: str, fields: list[str], **extra
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="referral",
        object_id=referral.pk,
        family_id=referral.family_id,
        site_id=referral.site_id,
        detail={"fields": fields, **extra},
    )


def _text(value: str | None) -> str:
    return (value or "").strip()


def _check_length(errors: dict[str, list[str]], field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.setdefault(field, []).append(f"Keep this to {limit} characters or fewer.")


def _locked(referral: SafeAndWellReferral) -> SafeAndWellReferral:
    """The referral as it is now, locked for the rest of the transaction (PostgreSQL),
    so two people acting at once are serialised and the second sees the first's change."""
    return (
        SafeAndWellReferral.objects.select_for_update(of=("self",))
        .select_related("site", "family")
        .get(pk=referral.pk)
    )


# --- Signposting -------------------------------------------------------------------------


@sensitive_variables()
def _validate_referral(
    *,
    family: Family,
    parents: list[Parent],
    reasons: list[ReferralReason],
    summary: str,
    urgency: str,
    consent_basis: str,
    consent_given_by: str,
    consent_given_on: date | None,
    consent_method: str,
    no_consent_reason: str,
    safe_number: str,
    safe_call_from: time | None,
    safe_call_to: time | None,
    safe_times_notes: str,
    language: str,
    source: str,
    source_reference: str,
    today: date,
) -> dict[str, object]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, object] = {}
    if not parents:
        errors.setdefault("parents", []).append("Choose the parent or parents concerned.")
    elif any(p.family_id != family.pk for p in parents):
        errors.setdefault("parents", []).append("Choose parents of this family.")
    if not reasons:
        errors.setdefault("reasons", []).append("Choose at least one reason.")
    elif any(not r.active for r in reasons):
        errors.setdefault("reasons", []).append("That reason is no longer offered.")
    clean["summary"] = _text(summary)
    if not clean["summary"]:
        errors.setdefault("summary", []).append(
            "Describe the concern, so the practitioner knows what to ask about."
        )
    _check_length(errors, "summary", clean["summary"], 4000)
    if urgency not in Urgency.values:
        errors.setdefault("urgency", []).append("Choose how urgent this is.")
    if source not in SafeAndWellReferral.Source.values:
        errors.setdefault("source", []).append("Choose where the concern came from.")
    clean["source_reference"] = _text(source_reference)
    _check_length(errors, "source_reference", clean["source_reference"], 40)

    basis = SafeAndWellReferral.ConsentBasis
    clean["no_consent_reason"] = _text(no_consent_reason)
    if consent_basis == basis.GIVEN:
        roles = {p.role for p in parents}
        if consent_given_by not in roles:
            errors.setdefault("consent_given_by", []).append(
                "Say which of the parents concerned gave consent."
            )
        if consent_given_on is None:
            errors.setdefault("consent_given_on", []).append("Enter the date consent was given.")
        elif consent_given_on > today:
            errors.setdefault("consent_given_on", []).append("The date cannot be in the future.")
        elif consent_given_on < today - timedelta(days=CONSENT_MAX_AGE_DAYS):
            errors.setdefault("consent_given_on", []).append(
                f"Consent is more than {CONSENT_MAX_AGE_DAYS} days old: ask the parent again."
            )
        if consent_method not in SafeAndWellReferral.ConsentMethod.values:
            errors.setdefault("consent_method", []).append("Say how consent was given.")
        if clean["no_consent_reason"]:
            errors.setdefault("no_consent_reason", []).append(
                "The parent consented: leave the reason for going ahead without consent empty."
            )
        clean.update(
            consent_given_by=consent_given_by,
            consent_given_on=consent_given_on,
            consent_method=consent_method,
        )
    elif consent_basis in (basis.REFUSED, basis.NOT_SOUGHT):
        if not clean["no_consent_reason"]:
            errors.setdefault("no_consent_reason", []).append(
                "Give the safeguarding reason for going ahead without the parent's consent."
            )
        _check_length(errors, "no_consent_reason", clean["no_consent_reason"], 2000)
        clean.update(consent_given_by="", consent_given_on=None, consent_method="")
    else:
        errors.setdefault("consent_basis", []).append(
            "Say whether the parent consented, and if not why you are going ahead."
        )

    try:
        clean["safe_number"] = normalise_uk_phone(safe_number)
    except InvalidPhoneNumber as exc:
        errors.setdefault("safe_number", []).append(str(exc))
    if (safe_call_from is None) != (safe_call_to is None):
        errors.setdefault("safe_call_to", []).append(
            "Give both ends of the safe time to call, or neither."
        )
    elif safe_call_from is not None and safe_call_to is not None and safe_call_to <= safe_call_from:
        errors.setdefault("safe_call_to", []).append("The safe time must end after it starts.")
    clean["safe_times_notes"] = _text(safe_times_notes)
    _check_length(errors, "safe_times_notes", clean["safe_times_notes"], 200)
    clean["language"] = _text(language)
    if not clean["language"]:
        errors.setdefault("language", []).append("Enter the language to use on the call.")
    _check_length(errors, "language", clean["language"], 60)
    if Referral.objects.filter(family=family, status__in=Referral.OPEN_STATUSES).exists():
        errors.setdefault("__all__", []).append(
            "This family already has an open safe-and-well referral: see the family's page."
        )
    if errors:
        raise ValidationError(errors)
    return clean


@sensitive_variables()
@transaction.atomic
def referral_create(
    *,
    family: Family,
    referred_by: User,
    parents: Iterable[Parent],
    reasons: Iterable[ReferralReason],
    summary: str,
    urgency: str,
    consent_basis: str,
    safe_number: str,
    consent_given_by: str = "",
    consent_given_on: date | None = None,
    consent_method: str = "",
    no_consent_reason: str = "",
    safe_call_from: time | None = None,
    safe_call_to: time | None = None,
    safe_times_notes: str = "",
    voicemail_ok: bool = False,
    language: str = "English",
    interpreter_needed: bool = False,
    source: str = SafeAndWellReferral.Source.FAMILY_PAGE,
    source_reference: str = "",
    now: datetime | None = None,
) -> SafeAndWellReferral:
    """Signpost a family to the NSPCC safe-and-well check. Due-by is worked out in the
    working days of the family's nation; the NSPCC team is told (without details) and
    the escalation checks are scheduled."""
    moment = now or timezone.now()
    local = timezone.localtime(moment)
    parents, reasons = list(parents), list(reasons)
    clean = _validate_referral(
        family=family,
        parents=parents,
        reasons=reasons,
        summary=summary,
        urgency=urgency,
        consent_basis=consent_basis,
        consent_given_by=consent_given_by,
        consent_given_on=consent_given_on,
        consent_method=consent_method,
        no_consent_reason=no_consent_reason,
        safe_number=safe_number,
        safe_call_from=safe_call_from,
        safe_call_to=safe_call_to,
        safe_times_notes=safe_times_notes,
        language=language,
        source=source,
        source_reference=source_reference,
        today=local.date(),
    )
    nation = family.site.nation
    due_at = due.due_by(local, urgency, nation)
    times = due.stage_times(local, due_at, urgency, nation)
    referral = SafeAndWellReferral(
        family=family,
        site_id=family.site_id,
        urgency=urgency,
        source=source,
        consent_basis=consent_basis,
        safe_call_from=safe_call_from,
        safe_call_to=safe_call_to,
        voicemail_ok=voicemail_ok,
        interpreter_needed=interpreter_needed,
        referred_at=moment,
        referred_by=referred_by,
        due_by=due_at,
        due_soon_at=times[due.DUE_SOON],
        **clean,
    )
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:
        # Validation above should make this unreachable; if the database still refuses
        # (a race), say so without its message, which can quote the row's free text.
        raise ValidationError({"__all__": NOT_SAVED}) from None
    referral.parents.set(parents)
    referral.reasons.set(reasons)
    _audit_change(
        actor=referred_by,
        referral=referral,
        action=Action.CREATE,
        fields=sorted(["parents", "reasons", "urgency", "consent_basis", *clean]),
    )
    notify.referral_created(referral=referral)
    from babysteps.safeguarding.tasks import escalate_referral

    # Each later stage is checked at its time by a deferred task. A stage already due
    # (a same-day referral made late in the day) is left to the periodic sweeper, a
    # minute at most, so the escalation never runs inside the request that signposts.
    for when in times.values():
        if when > moment:
            enqueue_at(escalate_referral, when, referral.pk)
    return referral


# --- The NSPCC queue -------------------------------------------------------------------


@transaction.atomic
def referral_claim(
    *, referral: SafeAndWellReferral, user: User, now: datetime | None = None
) -> SafeAndWellReferral:
    """Take a referral from the queue. Two practitioners claiming at once: one wins, the
    other is told."""
    moment = now or timezone.now()
    if not roles_for(user).works_referrals:
        raise ValidationError({"__all__": "Only the NSPCC safe-and-well team can claim referrals."})
    claimed = Referral.objects.filter(
        pk=referral.pk, status=Status.OPEN, claimed_by__isnull=True
    ).update(status=Status.CLAIMED, claimed_by=user, claimed_at=moment, updated_at=moment)
    if not claimed:
        raise ValidationError(
            {"__all__": "This referral has just been claimed by someone else, or is closed."}
        )
    referral.refresh_from_db()
    _audit_change(
        actor=user,
        referral=referral,
        action=Action.CHANGE,
        fields=["status", "claimed_by", "claimed_at"],
    )
    return referral


@transaction.atomic
def referral_assign(
    *, referral: SafeAndWellReferral, to: User, assigned_by: User, now: datetime | None = None
) -> SafeAndWellReferral:
    """The team lead gives a referral to a practitioner (or takes it themselves)."""
    moment = now or timezone.now()
    if not roles_for(assigned_by).is_safe_and_well_lead:
        raise ValidationError({"__all__": "Only the safe-and-well team lead can assign referrals."})
    if not to.is_active or not roles_for(to).works_referrals:
        raise ValidationError({"user": "Choose a member of the safe-and-well team."})
    referral = _locked(referral)
    if not referral.is_open:
        raise ValidationError({"__all__": "This referral is closed or withdrawn."})
    if referral.claimed_by_id == to.pk:
        return referral
    referral.status = Status.CLAIMED
    referral.claimed_by = to
    referral.claimed_at = moment
    referral.save(update_fields=["status", "claimed_by", "claimed_at", "updated_at"])
    _audit_change(
        actor=assigned_by,
        referral=referral,
        action=Action.CHANGE,
        fields=["status", "claimed_by", "claimed_at"],
    )
    if to.pk != assigned_by.pk:
        notify.referral_assigned(referral=referral, to=to)
    return referral


def _require_holder(referral: SafeAndWellReferral, user: User, doing: str) -> None:
    if referral.status != Status.CLAIMED:
        raise ValidationError({"__all__": f"Claim the referral before you {doing}."})
    if referral.claimed_by_id != user.pk:
        raise ValidationError(
            {"__all__": f"Only the practitioner holding this referral can {doing}."}
        )


@sensitive_variables()
@transaction.atomic
def call_attempt_record(
    *,
    referral: SafeAndWellReferral,
    made_by: User,
    at: datetime,
    outcome: str,
    voicemail_left: bool = False,
    note: str = "",
    now: datetime | None = None,
) -> CallAttempt:
    """Log one attempt to reach the parent. A voicemail left although the family asked
    for none is recorded as it happened (and shown as such), not refused."""
    moment = now or timezone.now()
    referral = _locked(referral)
    _require_holder(referral, made_by, "log calls")
    errors: dict[str, list[str]] = {}
    if at > moment + CLOCK_SKEW:
        errors.setdefault("at", []).append("The call cannot be in the future.")
    elif at < referral.referred_at - CLOCK_SKEW:
        errors.setdefault("at", []).append("The call cannot be before the referral was made.")
    if outcome not in CallAttempt.Outcome.values:
        errors.setdefault("outcome", []).append("Choose what happened.")
    if outcome == CallAttempt.Outcome.SPOKE and voicemail_left:
        errors.setdefault("voicemail_left", []).append(
            "You spoke to the parent: no voicemail was left."
        )
    note = _text(note)
    _check_length(errors, "note", note, 500)
    if errors:
        raise ValidationError(errors)
    attempt = CallAttempt.objects.create(
        referral=referral,
        at=at,
        outcome=outcome,
        voicemail_left=voicemail_left,
        note=note,
        made_by=made_by,
    )
    _audit_change(
        actor=made_by,
        referral=referral,
        action=Action.CHANGE,
        fields=["call_attempts"],
        call_attempt=attempt.pk,
    )
    return attempt


@sensitive_variables()
@transaction.atomic
def referral_close(
    *,
    referral: SafeAndWellReferral,
    closed_by: User,
    outcome: str,
    onward_to: str = "",
    onward_service: str = "",
    onward_reference: str = "",
    outcome_notes: str = "",
    now: datetime | None = None,
) -> SafeAndWellReferral:
    """Record the outcome and close the referral; the referring site is told."""
    moment = now or timezone.now()
    referral = _locked(referral)
    _require_holder(referral, closed_by, "close it")
    attempts = list(referral.call_attempts.all())
    reached = any(a.reached for a in attempts)
    errors: dict[str, list[str]] = {}
    kinds = SafeAndWellReferral.Outcome
    onward_service, onward_reference = _text(onward_service), _text(onward_reference)
    outcome_notes = _text(outcome_notes)
    if outcome not in kinds.values:
        errors.setdefault("outcome", []).append("Choose the outcome.")
    elif outcome in (kinds.SAFE_AND_WELL, kinds.SUPPORT_ACCEPTED, kinds.DECLINED) and not reached:
        errors.setdefault("outcome", []).append(
            "Log the call in which you spoke to the parent before recording this outcome."
        )
    elif outcome == kinds.NOT_REACHED:
        needed = settings.SAFE_AND_WELL_ATTEMPTS_BEFORE_NOT_REACHED
        if reached:
            errors.setdefault("outcome", []).append(
                "A call reached the parent, so they were not 'not reached'."
            )
        elif len(attempts) < needed:
            errors.setdefault("outcome", []).append(
                f"Make at least {needed} call attempts before recording 'not reached' "
                f"({len(attempts)} logged so far)."
            )
    if outcome == kinds.ONWARD_REFERRAL:
        if onward_to not in SafeAndWellReferral.OnwardTo.values:
            errors.setdefault("onward_to", []).append("Say where the family was referred.")
        elif onward_to == SafeAndWellReferral.OnwardTo.OTHER_SERVICE and not onward_service:
            errors.setdefault("onward_service", []).append("Name the service.")
        if not onward_reference:
            errors.setdefault("onward_reference", []).append(
                "Enter the reference the service gave."
            )
    else:
        onward_to, onward_service, onward_reference = "", "", ""
    _check_length(errors, "onward_service", onward_service, 200)
    _check_length(errors, "onward_reference", onward_reference, 60)
    _check_length(errors, "outcome_notes", outcome_notes, 2000)
    if errors:
        raise ValidationError(errors)
    referral.status = Status.CLOSED
    referral.outcome = outcome
    referral.onward_to = onward_to
    referral.onward_service = onward_service
    referral.onward_reference = onward_reference
    referral.outcome_notes = outcome_notes
    referral.closed_at = moment
    referral.closed_by = closed_by
    fields = [
        "status",
        "outcome",
        "onward_to",
        "onward_service",
        "onward_reference",
        "outcome_notes",
        "closed_at",
        "closed_by",
    ]
    referral.save(update_fields=[*fields, "updated_at"])
    _audit_change(actor=closed_by, referral=referral, action=Action.CHANGE, fields=fields)
    notify.referral_closed(referral=referral)
    return referral


@sensitive_variables()
@transaction.atomic
def referral_withdraw(
    *,
    referral: SafeAndWellReferral,
    withdrawn_by: User,
    reason: str,
    now: datetime | None = None,
) -> SafeAndWellReferral:
    """The referring site withdraws a referral. It is kept, never deleted."""
    moment = now or timezone.now()
    referral = _locked(referral)
    if not referral.is_open:
        raise ValidationError({"__all__": "This referral is already closed or withdrawn."})
    reason = _text(reason)
    if not reason:
        raise ValidationError({"withdrawal_reason": "Say why the referral is being withdrawn."})
    if len(reason) > 1000:
        raise ValidationError({"withdrawal_reason": "Keep this to 1000 characters or fewer."})
    referral.status = Status.WITHDRAWN
    referral.withdrawal_reason = reason
    referral.withdrawn_at = moment
    referral.withdrawn_by = withdrawn_by
    fields = ["status", "withdrawal_reason", "withdrawn_at", "withdrawn_by"]
    referral.save(update_fields=[*fields, "updated_at"])
    _audit_change(actor=withdrawn_by, referral=referral, action=Action.CHANGE, fields=fields)
    notify.referral_withdrawn(referral=referral)
    return referral


# --- Immediate risk: not a referral -----------------------------------------------------


@sensitive_variables()
@transaction.atomic
def immediate_risk_record(
    *,
    family: Family,
    recorded_by: User,
    occurred_at: datetime,
    called_999: bool,
    followed_local_procedures: bool,
    reference: str = "",
    note: str = "",
    now: datetime | None = None,
) -> ImmediateRiskAction:
    """Record that immediate risk was handled by calling 999 and/or following local
    safeguarding procedures."""
    moment = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if not (called_999 or followed_local_procedures):
        errors.setdefault("called_999", []).append(
            "Say what was done: 999 was called, local procedures were followed, or both."
        )
    if occurred_at > moment + CLOCK_SKEW:
        errors.setdefault("occurred_at", []).append("This cannot be in the future.")
    reference, note = _text(reference), _text(note)
    _check_length(errors, "reference", reference, 60)
    _check_length(errors, "note", note, 500)
    if errors:
        raise ValidationError(errors)
    action = ImmediateRiskAction.objects.create(
        family=family,
        occurred_at=occurred_at,
        called_999=called_999,
        followed_local_procedures=followed_local_procedures,
        reference=reference,
        note=note,
        recorded_by=recorded_by,
    )
    audit_record(
        actor=recorded_by,
        action=Action.CREATE,
        object_type="immediateriskaction",
        object_id=action.pk,
        family_id=family.pk,
        site_id=family.site_id,
        detail={"fields": ["occurred_at", "called_999", "followed_local_procedures"]},
    )
    return action
