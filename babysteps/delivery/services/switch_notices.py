"""What the remote-delivery switch tells people: the families whose calls changed (by
their own channel, at a safe time) and the facilitators of the cohorts it changed."""

from django.conf import settings
from django.urls import reverse

from babysteps.accounts.models import User
from babysteps.bookings.models import CallMode
from babysteps.cohorts.models import Cohort
from babysteps.delivery.models import DeliverySwitch
from babysteps.families.models import Family
from babysteps.notifications.services import message_to_parent, message_to_staff


def _parent_text(switch: DeliverySwitch) -> tuple[str, str]:
    day = switch.from_date.strftime("%-d %B %Y")
    if switch.action == DeliverySwitch.Action.RESUME:
        return (
            "Baby Steps group sessions are starting again",
            f"Good news: from {day} your Baby Steps sessions are back to meeting as a group. "
            "Any call booked in place of a group session after that date has been cancelled; "
            "your facilitator will tell you the time and place of the next session.",
        )
    how = "video call" if switch.remote_mode == CallMode.VIDEO else "phone call"
    body = (
        f"From {day}, your Baby Steps group sessions will be an individual {how} with your "
        "facilitator instead. They will arrange a time with you."
    )
    if switch.prework:
        body += (
            " Before each call, please watch the short videos for that session in your Baby "
            "Steps portal, and think about any questions or worries you would like to talk "
            "about: the call is your time for those."
        )
    return "Your Baby Steps sessions are changing", body


def switch_notify(*, switch: DeliverySwitch, families: set[int], cohorts: set[int]) -> None:
    """Tell the families whose calls changed, and the facilitators of the cohorts whose
    sessions changed. Staff emails name the cohort and link to it, never a family."""
    subject, body = _parent_text(switch)
    for family in Family.objects.filter(pk__in=families).prefetch_related("parents"):
        for parent in family.parents.all():
            if parent.email or parent.mobile:
                message_to_parent(
                    parent=parent,
                    key=f"switch:{switch.pk}:p{parent.pk}",
                    subject=subject,
                    body=body,
                    group=f"switch:{switch.pk}",
                )
    per_user: dict[int, tuple[User, list[Cohort]]] = {}
    staffed = Cohort.objects.filter(pk__in=cohorts).prefetch_related("facilitator_links__user")
    for cohort in staffed:
        for link in cohort.facilitator_links.all():
            per_user.setdefault(link.user_id, (link.user, []))[1].append(cohort)
    paused = switch.action == DeliverySwitch.Action.PAUSE
    for user, their_cohorts in per_user.values():
        lines = [
            (
                f"Group sessions from {switch.from_date:%-d %B %Y} are now per-family "
                f"{CallMode(switch.remote_mode).label.lower()}s for these cohorts. "
                "Book each family's call from your home page:"
            )
            if paused
            else (
                f"Group sessions resume from {switch.from_date:%-d %B %Y} for these cohorts. "
                "Calls still to book have been withdrawn:"
            )
        ]
        for theirs in their_cohorts:
            url = settings.SITE_URL + reverse("cohorts:detail", args=[theirs.pk])
            lines.append(f"- {theirs.name}: {url}")
        message_to_staff(
            user=user,
            key=f"switch:{switch.pk}:u{user.pk}",
            subject="Group sessions paused" if paused else "Group sessions resumed",
            body="\n".join(lines),
            group=f"switch:{switch.pk}",
        )
