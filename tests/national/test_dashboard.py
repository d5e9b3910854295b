"""/national/: every site side by side for NSPCC admins, pseudonymised for evaluators."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from babysteps.audit.models import AuditEvent
from babysteps.delivery.models import Attendance, Contact
from babysteps.families.services import consent_record
from babysteps.national.access import site_pseudonym
from babysteps.programme.models import Component
from tests.factories import CohortFactory, EnrolmentFactory, FamilyFactory, SiteFactory
from tests.measures.helpers import epds_positions, record

pytestmark = pytest.mark.django_db
URL = reverse("national:dashboard")


def _contact(cohort, code, mode, minutes, facilitators, families, watched=None):
    contact = Contact.objects.create(
        cohort=cohort,
        component=Component.objects.get(code=code),
        mode=mode,
        starts_at=timezone.now() - timedelta(days=2),
        planned_minutes=minutes,
        actual_minutes=minutes,
        recorded_by=facilitators[0],
        recorded_at=timezone.now(),
    )
    contact.facilitators.set(facilitators)
    for family in families:
        Attendance.objects.create(
            contact=contact,
            family=family,
            mother=True,
            watched_videos_beforehand=watched,
        )
    return contact


@pytest.fixture
def delivered(cast):
    """Site A: one group session with both roles (60 minutes, two facilitators), one
    without (a single facilitator), a call watched first and one not."""
    _contact(cast.cohort_a, "S1", "group", 60, [cast.midwife_a, cast.support_a], [cast.family_a])
    _contact(cast.cohort_a2, "S1", "group", 60, [cast.facilitator_a2], [cast.family_a2])
    _contact(cast.cohort_a, "S2", "phone", 30, [cast.midwife_a], [cast.family_a], watched=True)
    _contact(
        cast.cohort_a2, "S2", "phone", 30, [cast.facilitator_a2], [cast.family_a2], watched=False
    )
    record(cast.family_a, cast.midwife_a, timepoint="pre")
    return cast


def _row(page: str, label: str) -> str:
    start = page.index(f'<tr data-site="{label}">')
    return page[start : page.index("</tr>", start)]


def test_an_admin_sees_every_site_with_its_figures(delivered, client_for):
    cast = delivered
    response = client_for(cast.admin).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    a, b = _row(page, "Site A"), _row(page, "Site B")
    cells_a = [c.split("<")[0] for c in a.split('<td class="num">')[1:]]
    # active cohorts, families, completed
    assert cells_a[:3] == ["2", "2", "0"]
    assert "50% " in a  # one of two group sessions co-facilitated
    assert '<td class="num">120</td>' in a  # (60x2 + 60 + 30 + 30) / 2 families
    assert '<td class="num">50%</td>' in a  # one of two calls watched first; pre 1 of 2
    assert f'href="{reverse("delivery:site", args=[cast.site_a.pk])}"' in a
    assert "none yet" in b
    event = AuditEvent.objects.filter(object_type="national_dashboard").latest("pk")
    assert event.actor == cast.admin and event.detail == {"sites": 2}


def test_the_headline_outcome_is_suppressed_under_five_families(cast, client_for):
    site = cast.site_a
    families = [FamilyFactory(site=site, created_by=cast.manager_a) for _ in range(5)]
    for family in families:
        consent_record(
            family=family,
            recorded_by=cast.manager_a,
            kind="evaluation",
            given=True,
            decided_on=timezone.localdate(),
        )
        record(family, cast.manager_a, answers=epds_positions(item_1=3, item_2=3))
    for family in families[:4]:
        record(family, cast.manager_a, timepoint="post")
    row = _row(client_for(cast.admin).get(URL).content.decode(), "Site A")
    assert "fewer than 5" in row
    record(families[4], cast.manager_a, timepoint="post")
    row = _row(client_for(cast.admin).get(URL).content.decode(), "Site A")
    assert '-6.0 <span class="muted">(n=5)</span>' in row


def test_an_evaluator_sees_pseudonyms_and_no_names_or_links(delivered, client_for):
    cast = delivered
    page = client_for(cast.evaluator).get(URL).content.decode()
    assert "Site A" not in page and "Site B" not in page
    row = _row(page, site_pseudonym(cast.site_a.pk))
    assert "href" not in row.split("</th>")[0]
    csv_text = client_for(cast.evaluator).get(reverse("national:csv")).content.decode()
    assert "Site A" not in csv_text and site_pseudonym(cast.site_b.pk) in csv_text


@pytest.mark.parametrize(
    "who", ["manager_a", "midwife_a", "facilitator_b", "safe_and_well", "no_role"]
)
def test_site_staff_and_others_get_404(cast, client_for, who):
    client = client_for(getattr(cast, who))
    for name in ("national:dashboard", "national:csv", "national:xlsx"):
        assert client.get(reverse(name)).status_code == 404


def test_sorting_puts_unknowns_last_either_way(delivered, client_for):
    client = client_for(delivered.admin)
    for direction in ("asc", "desc"):
        page = client.get(URL, {"sort": "watched_first", "dir": direction}).content.decode()
        assert page.index('data-site="Site A"') < page.index('data-site="Site B"')
    page = client.get(URL, {"sort": "families", "dir": "desc"}).content.decode()
    assert 'aria-sort="descending"' in page
    assert page.index('data-site="Site A"') < page.index('data-site="Site B"')
    page = client.get(URL, {"sort": "families", "dir": "asc"}).content.decode()
    assert page.index('data-site="Site B"') < page.index('data-site="Site A"')


def test_exports_hold_the_same_rows(delivered, client_for):
    client = client_for(delivered.admin)
    rows = list(csv.reader(io.StringIO(client.get(reverse("national:csv")).content.decode())))
    assert rows[0][:5] == [
        "site",
        "licence_status",
        "renewal_date",
        "active_cohorts",
        "families_enrolled",
    ]
    by_site = {r[0]: r for r in rows[1:]}
    assert by_site["Site A"][4] == "2" and by_site["Site B"][4] == "1"
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("national:xlsx")).content))
    sheet = book["Sites"]
    assert [c.value for c in sheet[1]][:2] == ["site", "licence_status"]
    assert sheet.max_row == 3


def test_the_query_count_does_not_grow_with_the_sites(delivered, client_for):
    client = client_for(delivered.admin)
    client.get(URL)  # warm the per-process caches (roles, content types)
    with CaptureQueriesContext(connection) as two:
        assert client.get(URL).status_code == 200
    for n in range(18):
        site = SiteFactory(name=f"Extra {n}")
        cohort = CohortFactory(site=site)
        for _ in range(2):
            EnrolmentFactory(family=FamilyFactory(site=site), cohort=cohort)
    with CaptureQueriesContext(connection) as twenty:
        page = client.get(URL).content.decode()
    assert page.count("<tr data-site=") == 20
    assert len(twenty) == len(two), (len(two), len(twenty))


def test_the_figures_are_kept_for_a_while_and_say_when_they_were_computed(
    delivered, client_for, settings
):
    from django.core.cache import cache

    cache.clear()
    settings.NATIONAL_SNAPSHOT_SECONDS = 600
    client = client_for(delivered.admin)
    first = client.get(URL).content.decode()
    assert "data-computed-at" in first
    EnrolmentFactory(family=FamilyFactory(site=delivered.site_b), cohort=delivered.cohort_b)
    with CaptureQueriesContext(connection) as kept:
        again = client.get(URL).content.decode()
    assert _row(again, "Site B") == _row(first, "Site B")  # the snapshot, not recomputed
    assert not [q for q in kept if "delivery_attendance" in q["sql"]]
    evaluator = client_for(delivered.evaluator).get(URL).content.decode()
    assert "Site B" not in evaluator  # the kept names are relabelled for evaluators
    cache.clear()
    fresh = client.get(URL).content.decode()
    assert _row(fresh, "Site B") != _row(first, "Site B")


def test_the_periodic_job_works_the_figures_out_before_they_expire(delivered, client_for, settings):
    from django.core.cache import cache

    from babysteps.core.periodic import jobs

    cache.clear()
    settings.NATIONAL_SNAPSHOT_SECONDS = 600
    job = jobs()["national dashboard figures"]
    now = timezone.now()
    assert job(now) == 1  # nothing kept: worked out
    first = client_for(delivered.admin).get(URL).content.decode()
    EnrolmentFactory(family=FamilyFactory(site=delivered.site_b), cohort=delivered.cohort_b)
    assert job(now + timedelta(minutes=4)) == 0  # under half its lifetime old: kept
    assert _row(client_for(delivered.admin).get(URL).content.decode(), "Site B") == _row(
        first, "Site B"
    )
    assert job(now + timedelta(minutes=6)) == 1  # past half: worked out again
    again = client_for(delivered.admin).get(URL).content.decode()
    assert _row(again, "Site B") != _row(first, "Site B")
    settings.NATIONAL_SNAPSHOT_SECONDS = 0
    assert job(now + timedelta(hours=1)) == 0  # nothing is kept at all
