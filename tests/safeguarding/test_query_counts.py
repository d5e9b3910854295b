"""Referral lists run a number of queries that does not grow with the referrals."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from babysteps.safeguarding import services
from babysteps.safeguarding.models import CallAttempt, SafeAndWellReferral
from tests.factories import EnrolmentFactory, ParentFactory
from tests.safeguarding.factories import make_referral

pytestmark = pytest.mark.django_db


def _grow(cast, n: int) -> None:
    """n referrals at site A, each for a new family of cohort A with a partner; half held
    by the cast's practitioner with a call logged. Written in bulk (a service call per
    referral would make 200 slow); the shape matches what the services write."""
    template = make_referral(cast.family_a2, by=cast.facilitator_a2)
    reasons = list(template.reasons.all())
    families = []
    for _ in range(n):
        family = EnrolmentFactory(family__site=cast.site_a, cohort=cast.cohort_a).family
        ParentFactory(family=family, role="partner")
        families.append(family)
    rows = []
    for i, family in enumerate(families):
        row = SafeAndWellReferral.objects.get(pk=template.pk)
        row.pk = None
        row.family = family
        if i % 2:
            row.status, row.claimed_by, row.claimed_at = (
                "claimed",
                cast.safe_and_well,
                row.referred_at,
            )
        rows.append(row)
    created = SafeAndWellReferral.objects.bulk_create(rows)
    Through = SafeAndWellReferral.reasons.through
    Through.objects.bulk_create(
        Through(safeandwellreferral_id=r.pk, referralreason_id=reason.pk)
        for r in created
        for reason in reasons
    )
    Parents = SafeAndWellReferral.parents.through
    Parents.objects.bulk_create(
        Parents(safeandwellreferral_id=r.pk, parent_id=r.family.mother.pk) for r in created
    )
    CallAttempt.objects.bulk_create(
        CallAttempt(referral=r, at=r.referred_at, outcome="no_answer", made_by=cast.safe_and_well)
        for r in created
        if r.claimed_by_id
    )
    SafeAndWellReferral.objects.filter(pk=template.pk).delete()


def _queries(client: Client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    # The export writes one audit event per referral in a single bulk insert, which
    # SQLite splits into batches (at most 999 parameters a statement): not a query per row.
    bulk_audit = 'INSERT INTO "audit_auditevent"'
    return len([q for q in ctx.captured_queries if not q["sql"].startswith(bulk_audit)])


URLS = [
    ("manager_a", reverse("safeguarding:overview"), None),
    ("midwife_a", reverse("safeguarding:overview"), None),
    ("admin", reverse("safeguarding:overview"), None),
    ("safe_and_well", reverse("safeguarding:queue"), None),
    ("safe_and_well", reverse("safeguarding:queue"), {"tab": "mine"}),
    ("lead", reverse("safeguarding:queue"), {"tab": "team"}),
    ("manager_a", reverse("safeguarding:export"), None),
    ("manager_a", "/api/v1/referrals", {"page_size": 100}),
    ("safe_and_well", "/api/v1/referrals", {"page_size": 100}),
    ("manager_a", reverse("home:index"), None),
    ("safe_and_well", reverse("home:index"), None),
]


@pytest.mark.parametrize(
    ("viewer", "url", "params"), URLS, ids=[f"{v} {u}{p or ''}" for v, u, p in URLS]
)
def test_list_queries_do_not_grow_with_referrals(cast, lead, viewer, url, params, settings):
    settings.PAGE_SIZE = 100
    client = Client()
    client.force_login(lead if viewer == "lead" else getattr(cast, viewer))
    _grow(cast, 10)
    small = _queries(client, url, params)
    _grow(cast, 190)
    assert SafeAndWellReferral.objects.count() == 200
    large = _queries(client, url, params)
    assert large == small, f"{url}: {small} queries with 10 referrals, {large} with 200"


def test_a_referral_page_does_not_grow_with_its_calls(cast):
    referral = make_referral(cast.family_a, by=cast.midwife_a, claimed_by=cast.safe_and_well)
    client = Client()
    client.force_login(cast.safe_and_well)
    url = reverse("safeguarding:referral", args=[referral.pk])

    def call() -> None:
        services.call_attempt_record(
            referral=referral,
            made_by=cast.safe_and_well,
            at=referral.referred_at,
            outcome="engaged",
        )

    call()
    small = _queries(client, url)
    for _ in range(6):
        call()
    assert _queries(client, url) == small
