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
    """The page's queries, less its audit writes: a page writes its read events once at
    the end (at most one per kind of record it shows, whatever their number), and whether
    a panel has anything to show, and so to audit, depends on the data."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    sqls = [q["sql"].lstrip().upper() for q in ctx.captured_queries]
    audit_writes = [sql for sql in sqls if sql.startswith('INSERT INTO "AUDIT_AUDITEVENT"')]
    assert len(audit_writes) <= 4, [sql[:80] for sql in audit_writes]
    return len([sql for sql in sqls if not _is_audit_work(sql)])


def _is_audit_work(sql: str) -> bool:
    """An audit write and what chains it: its savepoint, the lock, the newest event's hash."""
    return (
        '"AUDIT_AUDITEVENT"' in sql
        or sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
        or "PG_ADVISORY_XACT_LOCK" in sql
    )


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


def _busy_families(cast, n: int, *, cohort=None) -> list:
    """``n`` families at site A (in ``cohort``, else in new cohorts of 20 that the midwife
    facilitates), each with a partner and a questionnaire that raised an alert: what the
    family and cohort pages show beside each family."""
    from tests.measures.helpers import epds_positions, record

    families = []
    target = cohort
    for i in range(n):
        if cohort is None and i % 20 == 0:
            target = CohortFactory(site=cast.site_a, capacity=20)
            facilitate(target, cast.midwife_a, cast.support_a)
            cohort_schedule_generate(cohort=target)
        family = EnrolmentFactory(family__site=cast.site_a, cohort=target).family
        ParentFactory(family=family, role="partner")
        record(family, cast.midwife_a, answers=epds_positions(item_10=1))
        families.append(family)
    return families


@pytest.mark.parametrize("viewer", ["midwife_a", "manager_a", "admin"])
def test_family_page_queries_do_not_grow_with_families(cast, viewer):
    """The family page (seven panels from five apps) costs the same with 10 or 200 busy
    families at its site."""
    client = Client()
    client.force_login(getattr(cast, viewer))
    first = _busy_families(cast, 10)[0]
    url = reverse("families:detail", args=[first.pk])
    small = _queries(client, url)
    _busy_families(cast, 190)
    large = _queries(client, url)
    assert large == small, f"{small} queries with 10 families, {large} with 200"


def test_cohort_page_queries_do_not_grow_from_10_to_200_families(cast):
    """A cohort of 10 busy families at a site of 10, then a full cohort (20, its most) at a
    site of 200: the same number of queries."""
    client = Client()
    client.force_login(cast.manager_a)
    cohort_schedule_generate(cohort=cast.cohort_a)
    Cohort.objects.filter(pk=cast.cohort_a.pk).update(capacity=20)
    url = reverse("cohorts:detail", args=[cast.cohort_a.pk])
    _busy_families(cast, 10, cohort=cast.cohort_a)
    small = _queries(client, url)
    _busy_families(cast, 10, cohort=cast.cohort_a)
    _busy_families(cast, 180)
    large = _queries(client, url)
    assert large == small, f"{small} queries with 10 families, {large} with 200"
