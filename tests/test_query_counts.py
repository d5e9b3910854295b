"""List pages and API lists run a number of queries that does not grow with the number
of families (10 versus 200)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from babysteps.cohorts.models import Cohort
from babysteps.cohorts.services import cohort_schedule_generate
from tests.factories import CohortFactory, EnrolmentFactory, ParentFactory, facilitate

pytestmark = pytest.mark.django_db


def _grow(cast, n: int) -> None:
    """Add families to cohort A (in scope for the midwife and manager A), with partners,
    spread over several cohorts so cohort lists grow too."""
    cohorts = [cast.cohort_a] + [
        CohortFactory(site=cast.site_a, capacity=20) for _ in range(n // 20)
    ]
    for cohort in cohorts[1:]:
        facilitate(cohort, cast.midwife_a, cast.support_a)
        cohort_schedule_generate(cohort=cohort)
    Cohort.objects.filter(pk=cast.cohort_a.pk).update(capacity=20)
    for i in range(n):
        enrolment = EnrolmentFactory(family__site=cast.site_a, cohort=cohorts[i % len(cohorts)])
        ParentFactory(family=enrolment.family, role="partner")


def _queries(client: Client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


URLS = [
    (reverse("families:list"), None),
    (reverse("families:list"), {"q": "Mum"}),
    (reverse("cohorts:list"), None),
    (reverse("home:index"), None),
    ("/api/v1/families", None),
    ("/api/v1/families", {"page_size": 100}),
    ("/api/v1/cohorts", None),
]


@pytest.mark.parametrize("viewer", ["midwife_a", "manager_a", "admin"])
@pytest.mark.parametrize(("url", "params"), URLS, ids=[f"{u}{p or ''}" for u, p in URLS])
def test_list_queries_do_not_grow_with_families(cast, viewer, url, params, settings):
    settings.PAGE_SIZE = 100  # a page big enough to hold every family
    client = Client()
    client.force_login(getattr(cast, viewer))
    _grow(cast, 10)
    small = _queries(client, url, params)
    _grow(cast, 190)
    large = _queries(client, url, params)
    assert large == small, f"{url}: {small} queries with 10 families, {large} with 200"


def test_cohort_page_queries_do_not_grow_with_its_families(cast):
    client = Client()
    client.force_login(cast.manager_a)
    url = reverse("cohorts:detail", args=[cast.cohort_a.pk])
    Cohort.objects.filter(pk=cast.cohort_a.pk).update(capacity=20)
    for _ in range(3):
        EnrolmentFactory(family__site=cast.site_a, cohort=cast.cohort_a)
    small = _queries(client, url)
    for _ in range(15):
        EnrolmentFactory(family__site=cast.site_a, cohort=cast.cohort_a)
    assert _queries(client, url) == small
