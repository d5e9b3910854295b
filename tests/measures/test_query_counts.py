"""Pages and API lists of questionnaires and alerts run a fixed number of queries
whatever the number of rows (10 versus 200)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from babysteps.alerts.models import Alert
from babysteps.cohorts.models import Cohort
from babysteps.measures.models import Administration
from tests.evaluation.helpers import consent
from tests.factories import EnrolmentFactory
from tests.measures.helpers import epds_positions, record

pytestmark = pytest.mark.django_db


def _grow(cast, n: int) -> None:
    """n families in cohort A, each with an EPDS that raised an alert and a GAD-7. The
    first goes through the service; the rest are copies (bulk, to keep the suite fast)."""
    Cohort.objects.filter(pk=cast.cohort_a.pk).update(capacity=20)
    family = EnrolmentFactory(
        family__site=cast.site_a, family__created_by=cast.admin, cohort=cast.cohort_a
    ).family
    consent(family, True, cast.admin)
    epds = record(family, cast.midwife_a, answers=epds_positions(item_10=1))
    gad7 = record(family, cast.midwife_a, code="gad7", timepoint="post").administration
    administrations, alerts = [], []
    for _ in range(n - 1):
        other = EnrolmentFactory(
            family__site=cast.site_a, family__created_by=cast.admin, cohort=cast.cohort_a
        ).family
        consent(other, True, cast.admin)
        for template in (epds.administration, gad7):
            administrations.append(
                Administration(
                    **{
                        f.attname: getattr(template, f.attname)
                        for f in Administration._meta.concrete_fields
                        if f.attname not in ("id", "family_id", "parent_id")
                    },
                    family=other,
                    parent=other.mother,
                )
            )
    created = Administration.objects.bulk_create(administrations)
    template = epds.alerts[0]
    for administration in created[::2]:
        alerts.append(
            Alert(
                **{
                    f.attname: getattr(template, f.attname)
                    for f in Alert._meta.concrete_fields
                    if f.attname not in ("id", "family_id", "parent_id", "administration_id")
                },
                family_id=administration.family_id,
                parent_id=administration.parent_id,
                administration=administration,
            )
        )
    Alert.objects.bulk_create(alerts)


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


CASES = [(v, u, p) for v in ("midwife_a", "manager_a") for u, p in URLS]
# Facilitators do not see the evaluation.
CASES = [c for c in CASES if not (c[0] == "midwife_a" and c[1] == reverse("evaluation:page"))]


@pytest.mark.parametrize(
    ("viewer", "url", "params"), CASES, ids=[f"{v}{u}{p or ''}" for v, u, p in CASES]
)
def test_list_queries_do_not_grow(cast, viewer, url, params, settings):
    settings.PAGE_SIZE = 100
    client = Client()
    client.force_login(getattr(cast, viewer))
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


NATIONAL = [
    ("evaluator", reverse("evaluation:page")),
    ("evaluator", reverse("evaluation:figures_csv")),
    ("evaluator", reverse("evaluation:figures_xlsx")),
    ("evaluator", reverse("evaluation:participants_csv")),
    ("admin", reverse("home:index")),
    ("admin", reverse("national:dashboard")),
]


def _queries_to_the_end(client: Client, url: str) -> int:
    """Queries of a page or download, a streamed one read to its last byte."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content) if response.streaming else response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("viewer", "url"), NATIONAL, ids=[f"{v}{u}" for v, u in NATIONAL])
def test_national_views_and_exports_do_not_grow(cast, viewer, url):
    client = Client()
    client.force_login(getattr(cast, viewer))
    _grow(cast, 5)
    small = _queries_to_the_end(client, url)
    _grow(cast, 95)
    assert _queries_to_the_end(client, url) == small
