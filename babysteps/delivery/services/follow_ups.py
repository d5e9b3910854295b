"""Follow-up calls: what a shortened home visit (or one made by the health practitioner
alone) needs from the children's services co-facilitator, and closing one without a call."""

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object
from babysteps.core.working_time import add_working_days
from babysteps.delivery import rules
from babysteps.delivery.models import Contact, FollowUpTask
from babysteps.families.models import Family


def follow_up_if_needed(*, contact: Contact, family: Family, facilitators: Sequence[User]) -> None:
    """A home visit that was shortened, or made by the health practitioner alone, gets a
    follow-up call task for the cohort's children's services practitioner."""
    disciplines = [
        u.practitioner.discipline for u in facilitators if getattr(u, "practitioner", None)
    ]
    reason = rules.follow_up_reason(
        planned_minutes=contact.planned_minutes,
        actual_minutes=contact.actual_minutes,
        disciplines=disciplines,
        tolerance_minutes=settings.HOME_VISIT_SHORTENED_BY_MINUTES,
    )
    if reason is None:
        return
    candidates = [
        link.user
        for link in contact.cohort.facilitator_links.select_related("user__practitioner")
        if getattr(link.user, "practitioner", None)
        and link.user.practitioner.discipline == "childrens_services"
        and link.user.is_active
    ]
    candidates.sort(key=lambda u: u.full_name)
    due = add_working_days(
        timezone.localdate(contact.starts_at),
        settings.FOLLOW_UP_WORKING_DAYS,
        contact.cohort.site.nation,
    )
    task = FollowUpTask.objects.create(
        visit=contact,
        family=family,
        component=contact.component,
        assigned_to=candidates[0] if candidates else None,
        reason=reason,
        due_on=due,
        created_at=contact.recorded_at,
    )
    audit_object(
        actor=contact.recorded_by,
        action=Action.CREATE,
        obj=task,
        family_id=family.pk,
        site_id=contact.cohort.site_id,
        detail={"reason": reason},
    )


@transaction.atomic
def follow_up_close(
    *, task: FollowUpTask, reason: str, closed_by: User, now: datetime | None = None
) -> FollowUpTask:
    """Close a follow-up without a call (e.g. the family declined), with a reason."""
    text = " ".join(reason.split())
    if task.status != FollowUpTask.Status.OPEN:
        raise ValidationError({"reason": _("This follow-up is already done or closed.")})
    if not text:
        raise ValidationError({"reason": _("Say why no follow-up call is needed.")})
    task.status = FollowUpTask.Status.CLOSED
    task.closed_reason = text[:300]
    task.closed_by = closed_by
    task.closed_at = now or timezone.now()
    task.save(update_fields=["status", "closed_reason", "closed_by", "closed_at"])
    audit_object(
        actor=closed_by,
        action=Action.CHANGE,
        obj=task,
        family_id=task.family_id,
        site_id=task.family.site_id,
        detail={"fields": ["status", "closed_reason"]},
    )
    return task
