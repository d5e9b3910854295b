"""Signposting a family to the safe-and-well check, and the site's side afterwards:
withdrawing a referral, and recording action taken for immediate risk (not a referral)."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from babysteps.accounts.models import User
from babysteps.alerts.models import Alert
from babysteps.alerts.services import alert_acknowledge
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core.phones import InvalidPhoneNumber, uk_phone
from babysteps.core.tasks import enqueue_at
from babysteps.families.models import Family, Parent
from babysteps.safeguarding import due, notify
from babysteps.safeguarding.models import (
    ImmediateRiskAction,
    ReferralReason,
    SafeAndWellReferral,
    Urgency,
)
from babysteps.safeguarding.services._common import (
    CLOCK_SKEW,
    Status,
    audit_change,
    check_length,
    locked,
    text,
)
from babysteps.safeguarding.tasks import escalate_referral

# Consent to signpost is asked for at the time: an old "yes" is asked again.
CONSENT_MAX_AGE_DAYS = 30
NOT_SAVED = "The referral could not be saved. Check the form and try again."
# What the alert's acknowledgement says when the referral acknowledges it.
SIGNPOSTED_ACTION = "Signposted to the NSPCC safe-and-well check (referral {id})."


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
    alert: Alert | None,
    acknowledge_alert: bool,
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
    clean["summary"] = text(summary)
    if not clean["summary"]:
        errors.setdefault("summary", []).append(
            "Describe the concern, so the practitioner knows what to ask about."
        )
    check_length(errors, "summary", clean["summary"], 4000)
    if urgency not in Urgency.values:
        errors.setdefault("urgency", []).append("Choose how urgent this is.")
    clean["source_reference"] = text(source_reference)
    check_length(errors, "source_reference", clean["source_reference"], 40)
    _validate_source(errors, clean, family, source, alert, acknowledge_alert)

    _validate_consent(
        errors,
        clean,
        parents=parents,
        consent_basis=consent_basis,
        consent_given_by=consent_given_by,
        consent_given_on=consent_given_on,
        consent_method=consent_method,
        no_consent_reason=no_consent_reason,
        today=today,
    )
    _validate_reaching(
        errors,
        clean,
        safe_number=safe_number,
        safe_call_from=safe_call_from,
        safe_call_to=safe_call_to,
        safe_times_notes=safe_times_notes,
        language=language,
    )
    if SafeAndWellReferral.objects.filter(
        family=family, status__in=SafeAndWellReferral.OPEN_STATUSES
    ).exists():
        errors.setdefault("__all__", []).append(
            "This family already has an open safe-and-well referral: see the family's page."
        )
    if errors:
        raise ValidationError(errors)
    return clean


@sensitive_variables()
def _validate_consent(
    errors: dict[str, list[str]],
    clean: dict[str, object],
    *,
    parents: list[Parent],
    consent_basis: str,
    consent_given_by: str,
    consent_given_on: date | None,
    consent_method: str,
    no_consent_reason: str,
    today: date,
) -> None:
    """The parent's consent (who, when, how), or the safeguarding reason for going ahead
    without it."""
    basis = SafeAndWellReferral.ConsentBasis
    clean["no_consent_reason"] = text(no_consent_reason)
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
        check_length(errors, "no_consent_reason", clean["no_consent_reason"], 2000)
        clean.update(consent_given_by="", consent_given_on=None, consent_method="")
    else:
        errors.setdefault("consent_basis", []).append(
            "Say whether the parent consented, and if not why you are going ahead."
        )


@sensitive_variables()
def _validate_reaching(
    errors: dict[str, list[str]],
    clean: dict[str, object],
    *,
    safe_number: str,
    safe_call_from: time | None,
    safe_call_to: time | None,
    safe_times_notes: str,
    language: str,
) -> None:
    """How to reach the parent safely: the number, the safe times, the language."""
    try:
        clean["safe_number"] = uk_phone(safe_number)
    except InvalidPhoneNumber as exc:
        errors.setdefault("safe_number", []).append(str(exc))
    if (safe_call_from is None) != (safe_call_to is None):
        errors.setdefault("safe_call_to", []).append(
            "Give both ends of the safe time to call, or neither."
        )
    elif safe_call_from is not None and safe_call_to is not None and safe_call_to <= safe_call_from:
        errors.setdefault("safe_call_to", []).append("The safe time must end after it starts.")
    clean["safe_times_notes"] = text(safe_times_notes)
    check_length(errors, "safe_times_notes", clean["safe_times_notes"], 200)
    clean["language"] = text(language)
    if not clean["language"]:
        errors.setdefault("language", []).append("Enter the language to use on the call.")
    check_length(errors, "language", clean["language"], 60)


@sensitive_variables()
def _validate_source(
    errors: dict[str, list[str]],
    clean: dict[str, object],
    family: Family,
    source: str,
    alert: Alert | None,
    acknowledge_alert: bool,
) -> None:
    """Where the concern came from. A referral from a safety alert is linked to that
    alert (which must be about this family); the source follows from the alert when it
    is not given."""
    Source = SafeAndWellReferral.Source
    clean["source"] = source or (Source.ALERT if alert is not None else Source.FAMILY_PAGE)
    if clean["source"] not in Source.values:
        errors.setdefault("source", []).append("Choose where the concern came from.")
    elif alert is not None and clean["source"] != Source.ALERT:
        errors.setdefault("source", []).append(
            "The referral is linked to a safety alert: its source is the alert."
        )
    elif clean["source"] == Source.ALERT and alert is None:
        errors.setdefault("alert", []).append("Give the number of the safety alert.")
    if alert is not None:
        if alert.family_id != family.pk:
            errors.setdefault("alert", []).append(
                "That alert is about another family: signpost from the alert's own page."
            )
        if clean["source_reference"]:
            errors.setdefault("source_reference", []).append(
                "The referral is linked to the alert: leave the reference empty."
            )
    if acknowledge_alert:
        if alert is None:
            errors.setdefault("acknowledge_alert", []).append("There is no alert to acknowledge.")
        elif not alert.is_open:
            errors.setdefault("acknowledge_alert", []).append(
                "The alert has already been acknowledged."
            )


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
    source: str = "",
    source_reference: str = "",
    alert: Alert | None = None,
    acknowledge_alert: bool = False,
    now: datetime | None = None,
) -> SafeAndWellReferral:
    """Signpost a family to the NSPCC safe-and-well check. Due-by is worked out in the
    working days of the family's nation; the NSPCC team is told (without details) and
    the escalation checks are scheduled.

    ``alert`` (reached by the caller through ``access.alert_for_user``) links the
    referral to the safety alert it came from; the source is then "alert" (and, left
    empty, the family's page otherwise). With ``acknowledge_alert`` the referrer also
    acknowledges that alert, in the same transaction, with the referral as the action."""
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
        alert=alert,
        acknowledge_alert=acknowledge_alert,
        today=local.date(),
    )
    nation = family.site.nation
    due_at = due.due_by(local, urgency, nation)
    times = due.stage_times(local, due_at, urgency, nation)
    referral = SafeAndWellReferral(
        family=family,
        site_id=family.site_id,
        urgency=urgency,
        alert=alert,
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
    audit_change(
        actor=referred_by,
        referral=referral,
        action=Action.CREATE,
        fields=sorted(
            ["parents", "reasons", "urgency", "consent_basis", *clean]
            + (["alert"] if alert is not None else [])
        ),
    )
    if acknowledge_alert and alert is not None:
        try:
            alert_acknowledge(
                alert=alert,
                acknowledged_by=referred_by,
                action_taken=SIGNPOSTED_ACTION.format(id=referral.pk),
                now=moment,
            )
        except ValidationError:
            # Someone acknowledged it since the check above: nothing is saved.
            raise ValidationError(
                {"acknowledge_alert": "The alert has already been acknowledged."}
            ) from None
    notify.referral_created(referral=referral)
    # Each later stage is checked at its time by a deferred task. A stage already due
    # (a same-day referral made late in the day) is left to the periodic sweeper, a
    # minute at most, so the escalation never runs inside the request that signposts.
    for when in times.values():
        if when > moment:
            enqueue_at(escalate_referral, when, referral.pk)
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
    referral = locked(referral)
    if not referral.is_open:
        raise ValidationError({"__all__": "This referral is already closed or withdrawn."})
    reason = text(reason)
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
    audit_change(actor=withdrawn_by, referral=referral, action=Action.CHANGE, fields=fields)
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
    reference, note = text(reference), text(note)
    check_length(errors, "reference", reference, 60)
    check_length(errors, "note", note, 500)
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
