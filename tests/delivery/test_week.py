"""A week that can be run from the screen: the facilitator's week, day by day, and a to-do
list grouped by urgency with calls to arrange for the next 14 days first."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from babysteps.bookings.models import PlannedCall
from babysteps.delivery import week
from babysteps.delivery.services import delivery_pause
from tests.bookings.helpers import book, future_day, happened, local, publish
from tests.factories import today

pytestmark = pytest.mark.django_db


def _pause(cast) -> None:
    """Cohort A's group sessions from today are phone calls with each family."""
    delivery_pause(
        site=cast.site_a,
        cohort=cast.cohort_a,
        from_date=today(),
        reason="lockdown",
        mode="phone",
        changed_by=cast.manager_a,
        notify=False,
    )


def test_the_week_shows_sessions_calls_and_visits_day_by_day(client_for, cast, plan):
    s2 = plan["S2"]
    start = week.monday_of(timezone.localtime(s2.starts_at).date())
    client = client_for(cast.midwife_a)
    page = client.get(reverse("delivery:week"), {"week": start.isoformat()})
    days = page.context["days"]
    assert [d.day for d in days] == [start + timedelta(days=n) for n in range(7)]
    items = [i for d in days for i in d.items]
    assert any(i.kind == "session" and i.title.startswith("S2") for i in items)
    text = page.content.decode()
    assert f"?week={(start - timedelta(days=7)).isoformat()}" in text  # previous week
    assert f"?week={(start + timedelta(days=7)).isoformat()}" in text  # next week
    # Someone else's cohort is not in my week.
    other = client_for(cast.facilitator_b).get(
        reverse("delivery:week"), {"week": start.isoformat()}
    )
    assert not any(i.title.startswith("S2: ") for d in other.context["days"] for i in d.items)


def test_a_booked_call_and_a_paused_session_show_as_calls(client_for, cast, plan):
    _pause(cast)
    day = future_day(3)
    publish(cast.midwife_a, cast.site_a, day)
    booking = book(cast, at=local(day, time(10)))
    page = client_for(cast.midwife_a).get(
        reverse("delivery:week"), {"week": week.monday_of(day).isoformat()}
    )
    items = [i for d in page.context["days"] for i in d.items]
    call = next(i for i in items if i.kind == "call")
    assert call.url == reverse("bookings:detail", args=[booking.pk])
    assert cast.family_a.display_name in call.title
    assert not any(i.kind == "session" for i in items)  # the paused ones are calls


def test_a_bad_week_parameter_shows_this_week(client_for, cast):
    page = client_for(cast.midwife_a).get(reverse("delivery:week"), {"week": "not-a-date"})
    assert page.status_code == 200
    assert page.context["start"] == week.monday_of(timezone.localdate())
    assert "Nothing planned for you this week" in page.content.decode()


def test_the_week_is_for_facilitators(client_for, cast):
    assert client_for(cast.evaluator).get(reverse("delivery:week")).status_code == 403


def test_the_to_do_list_groups_by_urgency(client_for, cast, plan):
    _pause(cast)
    calls = list(PlannedCall.objects.filter(family=cast.family_a).order_by("due_at"))
    now = timezone.now()
    overdue, soon, later = calls[0], calls[1], calls[-1]
    PlannedCall.objects.filter(pk=overdue.pk).update(due_at=now - timedelta(days=2))
    PlannedCall.objects.filter(pk=soon.pk).update(due_at=now + timedelta(days=5))
    PlannedCall.objects.filter(pk=later.pk).update(due_at=now + timedelta(days=40))
    home = client_for(cast.midwife_a).get(reverse("home:index")).content.decode()
    overdue_part = home.split("Overdue:")[1].split("Calls to arrange")[0]
    assert overdue.component.code in overdue_part and "is not booked" in overdue_part
    soon_part = home.split("In the next 14 days")[1].split("</table>")[0]
    assert soon.component.code in soon_part and later.component.code + ":" not in soon_part
    later_part = home.split("<summary>Later:")[1].split("</details>")[0]
    assert later.component.code in later_part
    assert reverse("delivery:week") in home


def test_a_call_that_happened_and_is_not_recorded_is_overdue(client_for, cast):
    day = future_day(3)
    publish(cast.midwife_a, cast.site_a, day)
    booking = book(cast, at=local(day, time(10)))
    happened(booking, ago=timedelta(hours=1))
    home = client_for(cast.midwife_a).get(reverse("home:index")).content.decode()
    overdue_part = home.split("Overdue:")[1].split("Calls to arrange")[0]
    record = reverse("delivery:contact_new", args=[cast.family_a.pk]) + f"?booking={booking.pk}"
    assert "is not recorded" in overdue_part and record in overdue_part


def test_call_preparation_links_to_recording_the_call(client_for, cast, plan):
    _pause(cast)
    s2 = plan["S2"]
    day = timezone.localtime(s2.starts_at).date()
    publish(cast.midwife_a, cast.site_a, day, start=time(9), end=time(17))
    call = PlannedCall.objects.get(family=cast.family_a, planned_session=s2)
    booking = book(cast, at=local(day, time(10)), component=s2.component, planned_call=call)
    url = reverse("prep:family", args=[cast.family_a.pk])
    record = reverse("delivery:contact_new", args=[cast.family_a.pk]) + f"?booking={booking.pk}"
    client = client_for(cast.midwife_a)
    page = client.get(url, {"component": "S2"}).content.decode()
    assert record not in page and "Once the call has happened" in page
    happened(booking, ago=timedelta(hours=1))
    page = client.get(url, {"component": "S2"}).content.decode()
    assert record in page and "Record this call" in page
