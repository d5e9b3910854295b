"""The delivery and booking pages and API lists run a number of queries that does not
grow with the number of families, contacts, calls or follow-ups (10 versus 200)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from babysteps.bookings.models import CallBooking, PlannedCall
from babysteps.delivery.models import Attendance, Contact, DeliverySwitch, FollowUpTask
from babysteps.programme.models import Component
from tests.factories import CohortFactory, EnrolmentFactory, ParentFactory

pytestmark = pytest.mark.django_db


def _grow(cast, n: int, start: int) -> None:
    """``n`` more families in cohort A, each with a call recorded, a call to book, a
    booked call and an open follow-up (rows made directly: this is about reading)."""
    s3, s4, s5 = (Component.objects.get(code=c) for c in ("S3", "S4", "S5"))
    now = timezone.now()
    for i in range(start, start + n):
        family = EnrolmentFactory(family__site=cast.site_a, cohort=cast.cohort_a).family
        ParentFactory(family=family, role="partner")
        contact = Contact.objects.create(
            cohort=cast.cohort_a,
            component=s3,
            mode="phone",
            starts_at=now - timedelta(days=1, minutes=i),
            planned_minutes=60,
            actual_minutes=45,
            recorded_by=cast.midwife_a,
            recorded_at=now,
        )
        contact.facilitators.set([cast.midwife_a])
        contact.key_messages.set(s3.key_messages.all()[:1])
        Attendance.objects.create(contact=contact, family=family, mother=True)
        PlannedCall.objects.create(
            family=family,
            cohort=cast.cohort_a,
            component=s4,
            due_at=now + timedelta(days=3),
            status_changed_at=now,
            created_at=now,
        )
        CallBooking.objects.create(
            family=family,
            cohort=cast.cohort_a,
            component=s5,
            facilitator=cast.midwife_a,
            starts_at=now + timedelta(days=1, minutes=30 * i),
            ends_at=now + timedelta(days=1, minutes=30 * i + 30),
            status_changed_at=now,
            created_at=now,
        )
        FollowUpTask.objects.create(
            visit=contact,
            family=family,
            component=s3,
            assigned_to=cast.support_a,
            reason="shortened",
            due_on=timezone.localdate(),
            created_at=now,
        )


def _queries(client: Client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("viewer", "url"),
    [
        ("midwife_a", lambda cast: reverse("home:index")),
        ("support_a", lambda cast: reverse("home:index")),
        ("manager_a", lambda cast: reverse("home:index")),
        ("manager_a", lambda cast: reverse("cohorts:detail", args=[cast.cohort_a.pk])),
        ("manager_a", lambda cast: reverse("delivery:site", args=[cast.site_a.pk])),
        ("manager_a", lambda cast: reverse("delivery:site_time", args=[cast.site_a.pk])),
        ("admin", lambda cast: reverse("delivery:site_time", args=[cast.site_a.pk])),
        ("midwife_a", lambda cast: "/api/v1/delivery/contacts"),
        ("manager_a", lambda cast: "/api/v1/bookings"),
    ],
)
def test_delivery_pages_do_not_grow_with_families(cast, viewer, url, settings):
    settings.PAGE_SIZE = 100
    client = Client()
    client.force_login(getattr(cast, viewer))
    _grow(cast, 10, 0)
    small = _queries(client, url(cast), {"page_size": 100} if "api" in url(cast) else None)
    _grow(cast, 190, 10)
    large = _queries(client, url(cast), {"page_size": 100} if "api" in url(cast) else None)
    assert large == small, f"{url(cast)}: {small} queries with 10 families, {large} with 200"


def test_a_familys_record_does_not_grow_with_its_contacts(cast):
    client = Client()
    client.force_login(cast.midwife_a)
    url = reverse("families:detail", args=[cast.family_a.pk])
    s3 = Component.objects.get(code="S3")

    def contacts(n: int) -> None:
        for _ in range(n):
            contact = Contact.objects.create(
                cohort=cast.cohort_a,
                component=s3,
                mode="phone",
                starts_at=timezone.now() - timedelta(days=1),
                planned_minutes=60,
                actual_minutes=45,
                recorded_by=cast.midwife_a,
                recorded_at=timezone.now(),
            )
            contact.facilitators.set([cast.midwife_a, cast.support_a])
            Attendance.objects.create(contact=contact, family=cast.family_a, mother=True)

    contacts(3)
    small = _queries(client, url)
    contacts(30)
    assert _queries(client, url) == small


def _more_cohorts(cast, n: int) -> None:
    """``n`` more cohorts at site A, each with a family, a recorded call and a switch of
    its own (the site's reports read each cohort's state)."""
    s3 = Component.objects.get(code="S3")
    now = timezone.now()
    for _ in range(n):
        cohort = CohortFactory(site=cast.site_a)
        family = EnrolmentFactory(family__site=cast.site_a, cohort=cohort).family
        contact = Contact.objects.create(
            cohort=cohort,
            component=s3,
            mode="phone",
            starts_at=now - timedelta(days=1),
            planned_minutes=60,
            actual_minutes=40,
            recorded_by=cast.midwife_a,
            recorded_at=now,
        )
        contact.facilitators.set([cast.midwife_a])
        Attendance.objects.create(contact=contact, family=family, mother=True)
        DeliverySwitch.objects.create(
            site=cast.site_a,
            cohort=cohort,
            action=DeliverySwitch.Action.PAUSE,
            from_date=timezone.localdate(),
            remote_mode="phone",
            reason="Facilitator shortage",
            created_by=cast.manager_a,
            created_at=now,
        )


@pytest.mark.parametrize("name", ["delivery:site", "delivery:site_time"])
def test_a_sites_reports_do_not_grow_with_its_cohorts(cast, name):
    client = Client()
    client.force_login(cast.manager_a)
    url = reverse(name, args=[cast.site_a.pk])
    _more_cohorts(cast, 2)
    small = _queries(client, url)
    _more_cohorts(cast, 12)
    large = _queries(client, url)
    assert large == small, f"{url}: {small} queries with 3 cohorts, {large} with 15"
