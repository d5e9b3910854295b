"""axe-core on the delivery and booking pages, with data on them (charts, registers,
forms): no serious or critical accessibility violations."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from babysteps.cohorts.models import PlannedSession
from babysteps.cohorts.services import cohort_schedule_generate
from babysteps.delivery.models import Contact, FollowUpTask
from babysteps.delivery.services import (
    AttendanceIn,
    contact_record,
    delivery_pause,
    register_record,
)
from tests.bookings.helpers import book, future_day, local, publish
from tests.browser.test_accessibility import _serious
from tests.factories import PASSWORD, today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_delivery_pages_have_no_serious_accessibility_violations(live_server, page, sign_in, cast):
    plan = {s.component.code: s for s in cohort_schedule_generate(cohort=cast.cohort_a)}
    PlannedSession.objects.filter(pk=plan["S1"].pk).update(
        starts_at=timezone.now() - timedelta(days=7)
    )
    s1 = PlannedSession.objects.select_related("component", "cohort").get(pk=plan["S1"].pk)
    register_record(
        session=s1,
        starts_at=s1.starts_at,
        planned_minutes=120,
        actual_minutes=110,
        facilitators=[cast.midwife_a, cast.support_a],
        recorded_by=cast.midwife_a,
        attendance={cast.family_a.pk: AttendanceIn(mother=True, partner=True)},
    )
    visit = contact_record(
        family=cast.family_a,
        cohort=cast.cohort_a,
        component=plan["HV1"].component,
        mode="home_visit",
        starts_at=timezone.now() - timedelta(days=1),
        planned_minutes=60,
        actual_minutes=25,
        facilitators=[cast.midwife_a],
        recorded_by=cast.midwife_a,
        attendance=AttendanceIn(mother=True),
    )
    task = FollowUpTask.objects.get()
    delivery_pause(
        site=cast.site_a,
        cohort=cast.cohort_a,
        from_date=today(),
        reason="national lockdown",
        mode="phone",
        changed_by=cast.manager_a,
    )
    day = future_day()
    publish(cast.midwife_a, cast.site_a, day, start=time(10), end=time(12))
    booking = book(cast, at=local(day, time(10)), component=plan["S2"].component)
    register = Contact.objects.get(mode="group")

    problems = {}
    sign_in(cast.manager_a.email, PASSWORD)
    for name, path in [
        ("home", "/"),
        ("cohort", f"/cohorts/{cast.cohort_a.pk}/"),
        ("family", f"/families/{cast.family_a.pk}/"),
        ("register", f"/delivery/cohorts/{cast.cohort_a.pk}/register/{s1.pk}/"),
        ("contact", f"/delivery/contacts/{register.pk}/"),
        ("visit", f"/delivery/contacts/{visit.pk}/"),
        ("correct a visit", f"/delivery/contacts/{visit.pk}/correct/"),
        ("new contact", f"/delivery/families/{cast.family_a.pk}/contacts/new/?component=S3"),
        ("switch", f"/delivery/cohorts/{cast.cohort_a.pk}/switch/"),
        ("reports", "/delivery/reports/"),
        ("site", f"/delivery/sites/{cast.site_a.pk}/"),
        ("time", f"/delivery/sites/{cast.site_a.pk}/time/"),
        ("task", f"/delivery/tasks/{task.pk}/close/"),
        ("availability", "/bookings/availability/"),
        ("book", f"/bookings/families/{cast.family_a.pk}/book/"),
        ("booking", f"/bookings/{booking.pk}/"),
        ("move", f"/bookings/{booking.pk}/reschedule/"),
        ("cancel", f"/bookings/{booking.pk}/cancel/"),
        (
            "call not yet",
            f"/delivery/families/{cast.family_a.pk}/contacts/new/?booking={booking.pk}",
        ),
        ("register not yet", f"/delivery/cohorts/{cast.cohort_a.pk}/register/{plan['S3'].pk}/"),
        ("caseload", "/families/?sort=name&consent_missing=on"),
        ("video report", "/videos/report/"),
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.ok, name
        problems[name] = _serious(page)
    # The switch's preview, before confirming.
    page.goto(f"{live_server.url}/delivery/cohorts/{cast.cohort_a.pk}/switch/")
    page.get_by_label("Resume group sessions").check()
    page.get_by_label("Reason").fill("restrictions lifted")
    page.get_by_role("button", name="Preview the changes").click()
    problems["switch preview"] = _serious(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in(cast.support_a.email, PASSWORD)
    page.goto(f"{live_server.url}/")
    problems["facilitator home"] = _serious(page)
    page.goto(f"{live_server.url}/delivery/week/")
    problems["week"] = _serious(page)
    assert not any(problems.values()), problems
