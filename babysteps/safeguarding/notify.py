"""Emails to staff about referrals. They say what happened and link to the page (which
checks access and audits the read); they never carry names, the summary or any other
detail of the family. Each message has a key, so a retry never sends it twice."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import dateformat, timezone

from babysteps.accounts.models import Role, User
from babysteps.accounts.selectors import site_managers, users_with_national_role
from babysteps.notifications.services import message_to_staff
from babysteps.safeguarding.models import SafeAndWellReferral

FOOTER = (
    "\n\nThis email carries no details about the family. They are on the page, which "
    "records who looks at them.\n"
)


def _when(moment: datetime) -> str:
    return dateformat.format(timezone.localtime(moment), "H:i \\o\\n l j F Y")


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def referral_link(referral: SafeAndWellReferral) -> str:
    return _link(reverse("safeguarding:referral", args=[referral.pk]))


def _group(referral: SafeAndWellReferral) -> str:
    return f"safeguarding:referral:{referral.pk}"


def _send(
    *, users: Iterable[User], referral: SafeAndWellReferral, event: str, subject: str, body: str
) -> int:
    sent = 0
    for user in active_distinct(users):
        message_to_staff(
            user=user,
            key=f"{_group(referral)}:{event}:user:{user.pk}",
            subject=subject,
            body=body + FOOTER,
            group=_group(referral),
        )
        sent += 1
    return sent


def active_distinct(users: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        if user.is_active:
            seen.setdefault(user.pk, user)
    return list(seen.values())


def safe_and_well_team() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__site=None,
        memberships__role__in=[Role.NSPCC_SAFE_AND_WELL, Role.NSPCC_SAFE_AND_WELL_LEAD],
    ).distinct()


def team_leads() -> list[User]:
    """The safe-and-well team leads; if there are none, the NSPCC programme admins, so
    an escalation always reaches someone."""
    leads = list(users_with_national_role(role=Role.NSPCC_SAFE_AND_WELL_LEAD))
    return leads or list(users_with_national_role(role=Role.NSPCC_ADMIN))


def referring_site_people(referral: SafeAndWellReferral) -> list[User]:
    """Who at the referring site hears about the outcome: whoever made the referral, the
    site's managers, and the facilitators of the family's cohorts there."""
    facilitators = User.objects.filter(
        is_active=True,
        cohort_links__cohort__enrolments__family_id=referral.family_id,
        cohort_links__cohort__site_id=referral.site_id,
        memberships__role=Role.FACILITATOR,
        memberships__site_id=referral.site_id,
    ).distinct()
    return active_distinct(
        [referral.referred_by, *site_managers(site_id=referral.site_id), *facilitators]
    )


def referral_created(*, referral: SafeAndWellReferral) -> int:
    urgency = referral.get_urgency_display()
    return _send(
        users=safe_and_well_team(),
        referral=referral,
        event="new",
        subject=f"New safe-and-well referral {referral.pk} ({urgency.lower()})",
        body=(
            f"A site has signposted a family to the safe-and-well check.\n\n"
            f"Urgency: {urgency}\nDue by: {_when(referral.due_by)}\n\n"
            f"Claim it from the queue: {_link(reverse('safeguarding:queue'))}"
        ),
    )


def referral_escalated(
    *, referral: SafeAndWellReferral, stage: str, stage_label: str, users: Iterable[User]
) -> int:
    holder = "nobody has claimed it yet" if referral.claimed_by_id is None else "it is claimed"
    return _send(
        users=users,
        referral=referral,
        event=f"escalation:{stage}",
        subject=f"Safe-and-well referral {referral.pk}: {stage_label.lower()}",
        body=(
            f"Safe-and-well referral {referral.pk} ({referral.get_urgency_display().lower()}) "
            f"was due by {_when(referral.due_by)} and is not resolved: {holder}.\n\n"
            f"Open it: {referral_link(referral)}"
        ),
    )


def referral_assigned(*, referral: SafeAndWellReferral, to: User) -> int:
    return _send(
        users=[to],
        referral=referral,
        event=f"assigned:{(referral.claimed_at or timezone.now()).timestamp():.0f}",
        subject=f"Safe-and-well referral {referral.pk} has been given to you",
        body=(
            f"Your team lead has given you safe-and-well referral {referral.pk}, due by "
            f"{_when(referral.due_by)}.\n\nOpen it: {referral_link(referral)}"
        ),
    )


def referral_closed(*, referral: SafeAndWellReferral) -> int:
    return _send(
        users=referring_site_people(referral),
        referral=referral,
        event="closed",
        subject=f"Safe-and-well referral {referral.pk} is closed",
        body=(
            f"The NSPCC has closed safe-and-well referral {referral.pk} and recorded the "
            f"outcome.\n\nSee it on the family's page: "
            f"{_link(reverse('families:detail', args=[referral.family_id]))}"
        ),
    )


def referral_withdrawn(*, referral: SafeAndWellReferral) -> int:
    if referral.claimed_by is None:
        return 0
    return _send(
        users=[referral.claimed_by],
        referral=referral,
        event="withdrawn",
        subject=f"Safe-and-well referral {referral.pk} has been withdrawn",
        body=(
            f"The referring site has withdrawn safe-and-well referral {referral.pk}, which "
            f"you hold. You do not need to call.\n\nOpen it: {referral_link(referral)}"
        ),
    )
