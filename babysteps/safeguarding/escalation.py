"""Escalating referrals that slip: once per stage, recorded on the referral.

``referral_escalate`` is what the deferred task (enqueued at creation for each stage
time) and the periodic sweeper both call. The ``Escalation`` row's unique constraint on
(referral, stage) is created in the same transaction as the messages it sends, so a
worker retry, a second worker or the sweeper arriving after the task all find the row
and do nothing; and a failure before commit leaves neither row nor messages, so the
retry does the whole escalation. Message keys are per (referral, stage, user) as well.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from babysteps.accounts.models import User
from babysteps.accounts.selectors import site_managers
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.safeguarding import due, notify
from babysteps.safeguarding.models import Escalation, SafeAndWellReferral

Status = SafeAndWellReferral.Status


def stage_times(referral: SafeAndWellReferral) -> dict[str, datetime]:
    """When each escalation stage falls due for this referral."""
    local_due = timezone.localtime(referral.due_by)
    return {
        due.DUE_SOON: referral.due_soon_at,
        due.OVERDUE: referral.due_by,
        due.OVERDUE_FURTHER: due.further_escalation(local_due, referral.site.nation),
    }


def stage_now(referral: SafeAndWellReferral, now: datetime) -> str | None:
    return due.current_stage(
        stage_times(referral),
        now,
        unclaimed=referral.status == Status.OPEN,
        unresolved=referral.is_open,
    )


def escalation_recipients(referral: SafeAndWellReferral, stage: str) -> list[User]:
    """The NSPCC team lead(s) and the referring site's managers; once it is overdue, the
    practitioner holding it too."""
    users = [*notify.team_leads(), *site_managers(site_id=referral.site_id)]
    if stage != due.DUE_SOON and referral.claimed_by is not None:
        users.append(referral.claimed_by)
    return notify.active_distinct(users)


def referral_escalate(*, referral_id: int, now: datetime | None = None) -> str | None:
    """Escalate the referral at the stage that applies now, unless that stage has been
    escalated already. Returns the stage escalated, or None."""
    moment = now or timezone.now()
    with transaction.atomic():
        referral = (
            SafeAndWellReferral.objects.select_for_update(of=("self",))
            .select_related("site", "claimed_by")
            .filter(pk=referral_id)
            .first()
        )
        if referral is None:
            return None
        stage = stage_now(referral, moment)
        if stage is None or referral.escalations.filter(stage=stage).exists():
            return None
        try:
            with transaction.atomic():
                escalation = Escalation.objects.create(referral=referral, stage=stage, at=moment)
        except IntegrityError:
            return None  # another worker escalated this stage a moment ago
        recipients = escalation_recipients(referral, stage)
        escalation.notified.set(recipients)
        notify.referral_escalated(
            referral=referral,
            stage=stage,
            stage_label=escalation.get_stage_display(),
            users=recipients,
        )
        audit_record(
            actor=None,
            action=Action.CHANGE,
            object_type="referral",
            object_id=referral.pk,
            family_id=referral.family_id,
            site_id=referral.site_id,
            detail={"fields": ["escalations"], "stage": stage},
        )
    return stage


def escalations_sweep(*, now: datetime | None = None, limit: int = 500) -> int:
    """Escalate every open referral whose current stage has not been escalated: the
    safety net behind the deferred tasks (a stopped worker, a lost task)."""
    moment = now or timezone.now()
    candidates = (
        SafeAndWellReferral.objects.filter(
            Q(status=Status.OPEN, due_soon_at__lte=moment)
            | Q(status=Status.CLAIMED, due_by__lte=moment)
        )
        # Past the last stage there is nothing left to do: keep them out of the batch.
        .exclude(escalations__stage=due.OVERDUE_FURTHER)
        .select_related("site")
        .prefetch_related("escalations")
        .order_by("due_by", "pk")
    )
    done = 0
    for referral in candidates[:limit]:
        stage = stage_now(referral, moment)
        if stage is None or any(e.stage == stage for e in referral.escalations.all()):
            continue
        if referral_escalate(referral_id=referral.pk, now=moment):
            done += 1
    return done
