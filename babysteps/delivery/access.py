"""Who may reach a recorded contact (and its register) and a follow-up task: contacts
follow their cohort's scope, follow-up tasks their family's."""

from django.db.models import QuerySet

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.reads import read_record, read_shows
from babysteps.cohorts.access import cohorts_for_user
from babysteps.core.access import one
from babysteps.delivery.models import Contact, FollowUpTask
from babysteps.families.access import families_for_user


def contacts_for_user(user: User) -> QuerySet[Contact]:
    """Contacts in cohorts the user may open. Callers that list them audit the list."""
    return Contact.objects.filter(cohort__in=cohorts_for_user(user))


def contact_for_user(
    user: User,
    contact_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> Contact:
    """A contact (with its cohort, component and attendances), if the user may reach its
    cohort; else 404. Reading it is audited (naming the family for a one-family contact)."""
    contact = one(
        contacts_for_user(user)
        .select_related("cohort", "cohort__site", "component", "booking")
        .prefetch_related("attendances", "facilitators"),
        contact_id,
    )
    families = {a.family_id for a in contact.attendances.all()}
    read_record(
        actor=user,
        action=action,
        object_type="contact",
        object_id=contact.pk,
        family_id=next(iter(families)) if len(families) == 1 else None,
        site_id=contact.cohort.site_id,
        channel=channel,
        reason=reason,
    )
    if len(families) > 1:  # a group session's register names every family on it
        read_shows("contact", contact.pk, "family", sorted(families))
    return contact


def follow_up_task_for_user(
    user: User,
    task_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> FollowUpTask:
    """A follow-up task about a family the user may reach; else 404. Audited."""
    task = one(
        FollowUpTask.objects.filter(family__in=families_for_user(user))
        .select_related("family", "family__site", "component", "visit", "assigned_to")
        .prefetch_related("family__parents"),
        task_id,
    )
    read_record(
        actor=user,
        action=action,
        object_type="followuptask",
        object_id=task.pk,
        family_id=task.family_id,
        site_id=task.family.site_id,
        channel=channel,
        reason=reason,
    )
    return task
