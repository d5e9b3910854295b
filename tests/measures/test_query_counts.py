"""Pages and API lists of questionnaires and alerts run a fixed number of queries
whatever the number of rows (10 versus 200)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from babysteps.cohorts.models import Cohort
from tests.evaluation.helpers import consent
from tests.factories import EnrolmentFactory
from tests.measures.helpers import epds_positions, record

pytestmark = pytest.mark.django_db


def _grow(cast, n: int) -> None:
    """n families in cohort A, each with an EPDS that raised an alert and a GAD-7."""
    Cohort.objects.filter(pk=cast.cohort_a.pk).update(capacity=20)
    for _ in range(n):
        family = EnrolmentFactory(family__site=cast.site_a, cohort=cast.cohort_a).family
        consent(family, True, cast.admin)
        record(family, cast.midwife_a, answers=epds_positions(item_10=1))
        record(family, cast.midwife_a, code="gad7", timepoint="post")


def _queries(client: Client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


URLS = [
    (reverse("alerts:list"), None),
    (reverse("alerts:list"), {"state": "acknowledged"}),
    (reverse("home:index"), None),
    (reverse("evaluation:page"), None),
    (reverse("evaluation:page"), {"group_by": "cohort"}),
    ("/api/v1/alerts", {"page_size": 100}),
    ("/api/v1/administrations", {"page_size": 100}),
]


@pytest.mark.parametrize("viewer", ["midwife_a", "manager_a"])
@pytest.mark.parametrize(("url", "params"), URLS, ids=[f"{u}{p or ''}" for u, p in URLS])
def test_list_queries_do_not_grow(cast, viewer, url, params, settings):
    settings.PAGE_SIZE = 100
    client = Client()
    client.force_login(getattr(cast, viewer))
    if url.startswith(reverse("evaluation:page")) and viewer == "midwife_a":
        pytest.skip("facilitators do not see the evaluation")
    _grow(cast, 5)
    small = _queries(client, url, params)
    _grow(cast, 95)  # 10 versus 200 questionnaires
    assert _queries(client, url, params) == small


def test_the_family_page_with_many_questionnaires(cast):
    client = Client()
    client.force_login(cast.midwife_a)
    url = reverse("families:detail", args=[cast.family_a.pk])
    record(cast.family_a, cast.midwife_a, answers=epds_positions(item_10=1))
    small = _queries(client, url)
    for code in ("gad7", "phq9", "wemwbs", "swemwbs"):
        record(cast.family_a, cast.midwife_a, code=code)
        record(cast.family_a, cast.midwife_a, code=code, timepoint="post")
    assert _queries(client, url) == small
