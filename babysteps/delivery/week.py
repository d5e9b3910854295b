"""Reads for a facilitator's week and to-do list: their cohorts' sessions and visits,
their booked calls and follow-up calls, day by day; and what is overdue, due this week,
or later. Everything comes from the records (a session delivered as calls shows as such)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from babysteps.accounts.models import User
from babysteps.bookings.models import CallBooking, PlannedCall
from babysteps.bookings.selectors import bookings_loaded
from babysteps.cohorts.models import Cohort, PlannedSession
from babysteps.delivery.models import Contact, FollowUpTask, Mode, SessionConversion

CALLS_AHEAD_DAYS = 14


@dataclass(frozen=True)
class WeekItem:
    at: datetime | None  # None: a whole-day item (a follow-up due that day)
    kind: str  # session | visit | calls | call | follow_up
    title: str
    where: str
    url: str
    done: bool = False
    family_id: int | None = None  # a call or follow-up names one family


@dataclass
class WeekDay:
    day: date
    items: list[WeekItem] = field(default_factory=list)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _local(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def facilitator_week(*, user: User, start: date) -> list[WeekDay]:
    """Seven days from ``start`` (a Monday): each day's sessions and home visits of the
    user's cohorts, their calls and their follow-ups, in time order (four queries)."""
    days = {start + timedelta(days=n): WeekDay(start + timedelta(days=n)) for n in range(7)}
    begin, end = _local(start), _local(start + timedelta(days=7))
    cohorts = Cohort.objects.filter(facilitator_links__user=user)
    sessions = (
        PlannedSession.objects.filter(cohort__in=cohorts, starts_at__gte=begin, starts_at__lt=end)
        .select_related("component", "cohort")
        .annotate(
            as_calls=Exists(
                SessionConversion.objects.filter(
                    planned_session=OuterRef("pk"), ended_at__isnull=True
                )
            ),
            registered=Exists(Contact.objects.filter(planned_session=OuterRef("pk"))),
        )
    )
    for s in sessions:
        code = f"{s.component.code}: {s.component.title}"
        cohort_url = reverse("cohorts:detail", args=[s.cohort_id])
        if s.component.is_home_visit:
            item = WeekItem(s.starts_at, "visit", code, s.cohort.name, cohort_url)
        elif s.as_calls:
            item = WeekItem(s.starts_at, "calls", code, s.cohort.name, cohort_url)
        else:
            item = WeekItem(
                s.starts_at,
                "session",
                code,
                s.location or s.cohort.name,
                reverse("delivery:register", args=[s.cohort_id, s.pk]),
                done=s.registered,
            )
        days[timezone.localtime(s.starts_at).date()].items.append(item)
    calls = bookings_loaded(
        CallBooking.objects.filter(
            facilitator=user,
            starts_at__gte=begin,
            starts_at__lt=end,
            status__in=[CallBooking.Status.BOOKED, CallBooking.Status.COMPLETED],
        )
    )
    for b in calls:
        days[timezone.localtime(b.starts_at).date()].items.append(
            WeekItem(
                b.starts_at,
                "call",
                f"{b.component.code}: {b.family.display_name}",
                b.get_mode_display(),
                reverse("bookings:detail", args=[b.pk]),
                done=b.status == CallBooking.Status.COMPLETED,
                family_id=b.family_id,
            )
        )
    tasks = FollowUpTask.objects.filter(
        assigned_to=user,
        status=FollowUpTask.Status.OPEN,
        due_on__gte=start,
        due_on__lt=start + timedelta(days=7),
    ).select_related("component", "family")
    for t in tasks.prefetch_related("family__parents"):
        days[t.due_on].items.append(
            WeekItem(
                None,
                "follow_up",
                f"{t.component.code}: {t.family.display_name}",
                str(Mode.PHONE.label),
                reverse("delivery:contact_new", args=[t.family_id]) + f"?task={t.pk}",
                family_id=t.family_id,
            )
        )
    for day in days.values():
        day.items.sort(key=lambda i: (i.at is not None, i.at or begin))
    return list(days.values())


@dataclass
class ToDo:
    overdue_calls: list[PlannedCall] = field(default_factory=list)
    soon_calls: list[PlannedCall] = field(default_factory=list)
    later_calls: list[PlannedCall] = field(default_factory=list)
    to_record: list[CallBooking] = field(default_factory=list)
    overdue_follow_ups: list[FollowUpTask] = field(default_factory=list)
    due_follow_ups: list[FollowUpTask] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return len(self.overdue_calls) + len(self.to_record) + len(self.overdue_follow_ups)


def to_do(
    *,
    calls: list[PlannedCall],
    booked: list[CallBooking],
    follow_ups: list[FollowUpTask],
    now: datetime | None = None,
) -> ToDo:
    """Group the facilitator's work by urgency: overdue (calls to arrange whose time has
    passed, calls that happened and are not recorded, follow-ups past their day), due
    within the next 14 days, and later."""
    moment = now or timezone.now()
    today = timezone.localtime(moment).date()
    horizon = moment + timedelta(days=CALLS_AHEAD_DAYS)
    out = ToDo()
    for call in calls:
        if call.due_at < moment:
            out.overdue_calls.append(call)
        elif call.due_at <= horizon:
            out.soon_calls.append(call)
        else:
            out.later_calls.append(call)
    out.to_record = [b for b in booked if b.starts_at <= moment]
    for task in follow_ups:
        (out.overdue_follow_ups if task.due_on < today else out.due_follow_ups).append(task)
    return out
