"""No two calls can take the same facilitator slot, even when the requests arrive at the
same moment: real concurrent requests, each on its own database connection."""

import threading
from datetime import time

import pytest
from django.db import connection
from django.test import Client

from babysteps.api.services import api_token_create
from babysteps.bookings.models import CallBooking
from babysteps.cohorts.models import Cohort
from tests.bookings.helpers import future_day, local, publish
from tests.factories import EnrolmentFactory

CONTENDERS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises every write, so threads sharing one SQLite "
    "test database cannot race (the unique constraint below still guards it there)",
)
def test_simultaneous_requests_for_one_slot_book_it_once(cast):
    Cohort.objects.filter(pk=cast.cohort_a.pk).update(capacity=20)
    families = [cast.family_a] + [
        EnrolmentFactory(family__site=cast.site_a, cohort=cast.cohort_a).family
        for _ in range(CONTENDERS - 1)
    ]
    day = future_day()
    publish(cast.midwife_a, cast.site_a, day, start=time(10), end=time(11))
    token = api_token_create(user=cast.manager_a)
    starts_at = local(day, time(10)).isoformat()
    barrier = threading.Barrier(CONTENDERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def request(family_id: int) -> None:
        client = Client(headers={"Authorization": f"Bearer {token}"})
        body = {
            "family": family_id,
            "component": "S3",
            "facilitator": cast.midwife_a.pk,
            "starts_at": starts_at,
        }
        try:
            barrier.wait()
            response = client.post("/api/v1/bookings", body, content_type="application/json")
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(f.pk,)) for f in families]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] + [422] * (CONTENDERS - 1)
    assert CallBooking.objects.filter(facilitator=cast.midwife_a, status="booked").count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_booking_of_a_slot_even_without_the_service(cast):
    """The unique constraint is the last line of defence."""
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from babysteps.programme.models import Component

    day = future_day()
    start = local(day, time(10))
    values = {
        "cohort": cast.cohort_a,
        "component": Component.objects.get(code="S3"),
        "facilitator": cast.midwife_a,
        "starts_at": start,
        "ends_at": local(day, time(10, 30)),
        "status_changed_at": timezone.now(),
        "created_at": timezone.now(),
    }
    CallBooking.objects.create(family=cast.family_a, **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        CallBooking.objects.create(family=cast.family_a2, **values)
