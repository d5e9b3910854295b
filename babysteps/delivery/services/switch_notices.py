"""What the remote-delivery switch tells people: the families whose calls changed (by
their own channel, at a safe time) and the facilitators of the cohorts it changed."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.bookings.models import CallMode
from babysteps.cohorts.models import Cohort
from babysteps.delivery.models import DeliverySwitch
from babysteps.families.models import Family
from babysteps.notifications.services import message_to_parent, message_to_staff


def _parent_text(switch: DeliverySwitch) -> tuple[str, str]:
    """The parents' notice, in the active language."""
    day = date_format(switch.from_date, "j F Y")
    if switch.action == DeliverySwitch.Action.RESUME:
        return (
            _("Baby Steps group sessions are starting again"),
            _(
                "Good news: from %(day)s your Baby Steps sessions are back to meeting as a "
                "group. Any call booked in place of a group session after that date has been "
                "cancelled; your facilitator will tell you the time and place of the next "
                "session."
            )
            % {"day": day},
        )
    if switch.remote_mode == CallMode.VIDEO:
        body = _(
            "From %(day)s, your Baby Steps group sessions will be an individual video call "
            "with your facilitator instead. They will arrange a time with you."
        ) % {"day": day}
    else:
        body = _(
            "From %(day)s, your Baby Steps group sessions will be an individual phone call "
            "with your facilitator instead. They will arrange a time with you."
        ) % {"day": day}
    if switch.prework:
        body += " " + _(
            "Before each call, please watch the short videos for that session in your Baby "
            "Steps portal, and think about any questions or worries you would like to talk "
            "about: the call is your time for those."
        )
    return _("Your Baby Steps sessions are changing"), body


def switch_notify(*, switch: DeliverySwitch, families: set[int], cohorts: set[int]) -> None:
    """Tell the families whose calls changed, and the facilitators of the cohorts whose
    sessions changed. Staff emails name the cohort and link to it, never a family."""
    for family in Family.objects.filter(pk__in=families).prefetch_related("parents"):
        for parent in family.parents.all():
            if parent.email or parent.mobile:
                with translation.override(parent.portal_language):
                    subject, body = _parent_text(switch)
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
