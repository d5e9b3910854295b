"""The NSPCC side of a referral: claiming it (or the team lead assigning it), logging
call attempts, and recording the outcome, which closes it."""

from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from babysteps.accounts.models import User
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.notifications.windows import within
from babysteps.safeguarding import notify
from babysteps.safeguarding.models import CallAttempt, SafeAndWellReferral
from babysteps.safeguarding.services._common import (
    CLOCK_SKEW,
    Status,
    audit_change,
    check_length,
    locked,
    text,
)


@transaction.atomic
def referral_claim(
    *, referral: SafeAndWellReferral, user: User, now: datetime | None = None
) -> SafeAndWellReferral:
    """Take a referral from the queue. Two practitioners claiming at once: one wins, the
    other is told."""
    moment = now or timezone.now()
    if not roles_for(user).works_referrals:
        raise ValidationError(
            {"__all__": _("Only the NSPCC safe-and-well team can claim referrals.")}
        )
    claimed = SafeAndWellReferral.objects.filter(
        pk=referral.pk, status=Status.OPEN, claimed_by__isnull=True
    ).update(status=Status.CLAIMED, claimed_by=user, claimed_at=moment, updated_at=moment)
    if not claimed:
        raise ValidationError(
            {"__all__": _("This referral has just been claimed by someone else, or is closed.")}
        )
    referral.refresh_from_db()
    audit_change(
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
        raise ValidationError(
            {"__all__": _("Only the safe-and-well team lead can assign referrals.")}
        )
    if not to.is_active or not roles_for(to).works_referrals:
        raise ValidationError({"user": _("Choose a member of the safe-and-well team.")})
    referral = locked(referral)
    if not referral.is_open:
        raise ValidationError({"__all__": _("This referral is closed or withdrawn.")})
    if referral.claimed_by_id == to.pk:
        return referral
    referral.status = Status.CLAIMED
    referral.claimed_by = to
    referral.claimed_at = moment
    referral.save(update_fields=["status", "claimed_by", "claimed_at", "updated_at"])
    audit_change(
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
        raise ValidationError(
            {"__all__": _("Claim the referral before you %(doing)s.") % {"doing": doing}}
        )
    if referral.claimed_by_id != user.pk:
        raise ValidationError(
            {
                "__all__": _("Only the practitioner holding this referral can %(doing)s.")
                % {"doing": doing}
            }
        )


def _safe_window(referral: SafeAndWellReferral) -> tuple[time, time] | None:
    if referral.safe_call_from is None or referral.safe_call_to is None:
        return None
    return referral.safe_call_from, referral.safe_call_to


def _within(clock: time, start: time, end: time) -> bool:
    """Inside the safe times, the end minute included (a call at 12:00 in 09:00-12:00)."""
    return within(clock, start, end) or clock == end


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
    outside_safe_times_reason: str = "",
    now: datetime | None = None,
) -> CallAttempt:
    """Log one attempt to reach the parent. A voicemail where the family asked for none
    is refused (the reason is shown on the form); a call outside the parent's safe times
    needs a reason, kept on the record."""
    moment = now or timezone.now()
    referral = locked(referral)
    _require_holder(referral, made_by, "log calls")
    errors: dict[str, list[str]] = {}
    if at > moment + CLOCK_SKEW:
        errors.setdefault("at", []).append(_("The call cannot be in the future."))
    elif at < referral.referred_at - CLOCK_SKEW:
        errors.setdefault("at", []).append(_("The call cannot be before the referral was made."))
    if outcome not in CallAttempt.Outcome.values:
        errors.setdefault("outcome", []).append(_("Choose what happened."))
    if outcome == CallAttempt.Outcome.SPOKE and voicemail_left:
        errors.setdefault("voicemail_left", []).append(
            _("You spoke to the parent: no voicemail was left.")
        )
    elif voicemail_left and not referral.voicemail_ok:
        errors.setdefault("voicemail_left", []).append(
            _(
                "The family asked for no voicemail: a message on this phone could put the "
                "parent at risk. Do not leave one."
            )
        )
    note = text(note)
    check_length(errors, "note", note, 500)
    outside_safe_times_reason = text(outside_safe_times_reason)
    window = _safe_window(referral)
    if window and "at" not in errors and not _within(timezone.localtime(at).time(), *window):
        if not outside_safe_times_reason:
            errors.setdefault("outside_safe_times_reason", []).append(
                _(
                    "%(at)s is outside the parent's safe times (%(start)s to %(end)s): say "
                    "why you called then."
                )
                % {
                    "at": timezone.localtime(at).strftime("%H:%M"),
                    "start": window[0].strftime("%H:%M"),
                    "end": window[1].strftime("%H:%M"),
                }
            )
    else:
        outside_safe_times_reason = ""
    check_length(errors, "outside_safe_times_reason", outside_safe_times_reason, 300)
    if errors:
        raise ValidationError(errors)
    attempt = CallAttempt.objects.create(
        referral=referral,
        at=at,
        outcome=outcome,
        voicemail_left=voicemail_left,
        note=note,
        outside_safe_times_reason=outside_safe_times_reason,
        made_by=made_by,
    )
    audit_change(
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
    note_for_site: str = "",
    now: datetime | None = None,
) -> SafeAndWellReferral:
    """Record the outcome and close the referral; the referring site is told, and sees
    the outcome with ``note_for_site`` (what the NSPCC may share with it: required);
    ``outcome_notes`` stay the team's own."""
    moment = now or timezone.now()
    referral = locked(referral)
    _require_holder(referral, closed_by, "close it")
    attempts = list(referral.call_attempts.all())
    reached = any(a.reached for a in attempts)
    errors: dict[str, list[str]] = {}
    kinds = SafeAndWellReferral.Outcome
    onward_service, onward_reference = text(onward_service), text(onward_reference)
    outcome_notes = text(outcome_notes)
    note_for_site = text(note_for_site)
    if not note_for_site:
        errors.setdefault("note_for_site", []).append(
            _(
                "Write what the referring site may know (e.g. 'Mother spoken to; support "
                "accepted; nothing further for you to do')."
            )
        )
    if outcome not in kinds.values:
        errors.setdefault("outcome", []).append(_("Choose the outcome."))
    elif outcome in (kinds.SAFE_AND_WELL, kinds.SUPPORT_ACCEPTED, kinds.DECLINED) and not reached:
        errors.setdefault("outcome", []).append(
            _("Log the call in which you spoke to the parent before recording this outcome.")
        )
    elif outcome == kinds.NOT_REACHED:
        needed = settings.SAFE_AND_WELL_ATTEMPTS_BEFORE_NOT_REACHED
        if reached:
            errors.setdefault("outcome", []).append(
                _("A call reached the parent, so they were not 'not reached'.")
            )
        elif len(attempts) < needed:
            errors.setdefault("outcome", []).append(
                _(
                    "Make at least %(needed)s call attempts before recording 'not reached' "
                    "(%(logged)s logged so far)."
                )
                % {"needed": needed, "logged": len(attempts)}
            )
    if outcome == kinds.ONWARD_REFERRAL:
        if onward_to not in SafeAndWellReferral.OnwardTo.values:
            errors.setdefault("onward_to", []).append(_("Say where the family was referred."))
        elif onward_to == SafeAndWellReferral.OnwardTo.OTHER_SERVICE and not onward_service:
            errors.setdefault("onward_service", []).append(_("Name the service."))
        if not onward_reference:
            errors.setdefault("onward_reference", []).append(
                _("Enter the reference the service gave.")
            )
    else:
        onward_to, onward_service, onward_reference = "", "", ""
    check_length(errors, "onward_service", onward_service, 200)
    check_length(errors, "onward_reference", onward_reference, 60)
    check_length(errors, "outcome_notes", outcome_notes, 2000)
    check_length(errors, "note_for_site", note_for_site, 2000)
    if errors:
        raise ValidationError(errors)
    referral.status = Status.CLOSED
    referral.outcome = outcome
    referral.onward_to = onward_to
    referral.onward_service = onward_service
    referral.onward_reference = onward_reference
    referral.outcome_notes = outcome_notes
    referral.note_for_site = note_for_site
    referral.closed_at = moment
    referral.closed_by = closed_by
    fields = [
        "status",
        "outcome",
        "onward_to",
        "onward_service",
        "onward_reference",
        "outcome_notes",
        "note_for_site",
        "closed_at",
        "closed_by",
    ]
    referral.save(update_fields=[*fields, "updated_at"])
    audit_change(actor=closed_by, referral=referral, action=Action.CHANGE, fields=fields)
    notify.referral_closed(referral=referral)
    return referral
