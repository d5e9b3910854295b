"""Signposting a family to the safe-and-well check, and the site's side afterwards:
withdrawing a referral, and recording action taken for immediate risk (not a referral)."""

from collections.abc import Iterable
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from babysteps.accounts.models import User
from babysteps.alerts.models import Alert
from babysteps.alerts.services import alert_acknowledge
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core.tasks import enqueue_at
from babysteps.families.models import Family, Parent
from babysteps.safeguarding import due, notify
from babysteps.safeguarding.models import (
    ImmediateRiskAction,
    ReferralReason,
    SafeAndWellReferral,
)
from babysteps.safeguarding.services._common import (
    CLOCK_SKEW,
    Status,
    audit_change,
    check_length,
    locked,
    text,
)
from babysteps.safeguarding.services.checks import validate_referral
from babysteps.safeguarding.tasks import escalate_referral

NOT_SAVED = "The referral could not be saved. Check the form and try again."
# What the alert's acknowledgement says when the referral acknowledges it.
SIGNPOSTED_ACTION = "Signposted to the NSPCC safe-and-well check (referral {id})."


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
    clean = validate_referral(
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
                {"acknowledge_alert": _("The alert has already been acknowledged.")}
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
        raise ValidationError({"__all__": _("This referral is already closed or withdrawn.")})
    reason = text(reason)
    if not reason:
        raise ValidationError({"withdrawal_reason": _("Say why the referral is being withdrawn.")})
    if len(reason) > 1000:
        raise ValidationError({"withdrawal_reason": _("Keep this to 1000 characters or fewer.")})
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
            _("Say what was done: 999 was called, local procedures were followed, or both.")
        )
    if occurred_at > moment + CLOCK_SKEW:
        errors.setdefault("occurred_at", []).append(_("This cannot be in the future."))
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
