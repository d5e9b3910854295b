"""The national engagement report (an NSPCC admin, every site, the last year) is kept
ready like the national dashboard: worked out once per ``NATIONAL_SNAPSHOT_SECONDS`` and
ahead of time by a periodic job, with the same figures as working it out on the spot;
any other view (a site, other dates, a manager) is worked out on the spot."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from babysteps.core.periodic import jobs
from babysteps.families.models import Family
from babysteps.videos import reports, views
from babysteps.videos.models import Video
from babysteps.videos.watching import watch_record
from tests.videos.fixtures import pin

pytestmark = pytest.mark.django_db
REFRESH = "videos: national engagement report"


@pytest.fixture
def kept(settings):
    settings.NATIONAL_SNAPSHOT_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def counted():
    """How many times the report is worked out (the real function, counted)."""
    spy = mock.Mock(wraps=reports.engagement)
    with mock.patch.object(reports, "engagement", spy), mock.patch.object(views, "engagement", spy):
        yield spy


def _tables(page: str) -> str:
    return page[page.index("<h2>") : page.index("</main>")]


def _watched(world):
    pin(world.cast.cohort_a, "S1", timezone.now() - timedelta(hours=1))
    before = timezone.now() - timedelta(days=1)
    watch_record(parent=world.mother_a, video=world.s1, intervals=[[0, 16]], now=before)


def test_an_admin_gets_the_national_report_kept_with_the_same_figures(
    world, client_for, kept, counted
):
    _watched(world)
    admin = client_for(world.cast.admin)
    first = admin.get(reverse("videos:report")).content.decode()
    second = admin.get(reverse("videos:report")).content.decode()
    assert counted.call_count == 1  # the second view read what the first worked out
    assert "data-computed-at" in second
    assert _tables(second) == _tables(first) and "<table" in _tables(first)
    live = reports.engagement(
        families=Family.objects.all(), videos=Video.objects.all(), now=timezone.now()
    )
    national = reports.national_engagement(today=timezone.localdate()).result
    assert [(v.video.pk, v.released, v.families_completed) for v in national.videos] == [
        (v.video.pk, v.released, v.families_completed) for v in live.videos
    ]
    assert national.families == live.families == Family.objects.count()


def test_other_views_are_worked_out_on_the_spot(world, client_for, kept, counted):
    _watched(world)
    admin = client_for(world.cast.admin)
    admin.get(reverse("videos:report"))
    one_site = admin.get(reverse("videos:report"), {"site": world.cast.site_a.pk})
    other_dates = admin.get(
        reverse("videos:report"),
        {"date_from": (timezone.localdate() - timedelta(days=30)).isoformat()},
    )
    manager = client_for(world.cast.manager_a).get(reverse("videos:report"))
    assert counted.call_count == 4
    for page in (one_site, other_dates, manager):
        assert "data-computed-at" not in page.content.decode()
    site_families = Family.objects.filter(site=world.cast.site_a).count()
    assert f"({site_families} families in view)" in manager.content.decode()


def test_the_periodic_job_works_it_out_ahead_of_readers(world, kept, counted):
    now = timezone.now()
    job = jobs()[REFRESH]
    assert job(now) == 1  # nothing kept yet
    assert job(now + timedelta(minutes=4)) == 0  # under half its lifetime old
    assert job(now + timedelta(minutes=6)) == 1  # past half: ready again before it expires
    assert counted.call_count == 2


def test_without_a_lifetime_nothing_is_kept(world, client_for, settings, counted):
    settings.NATIONAL_SNAPSHOT_SECONDS = 0
    admin = client_for(world.cast.admin)
    admin.get(reverse("videos:report"))
    admin.get(reverse("videos:report"))
    assert counted.call_count == 2
    assert jobs()[REFRESH](timezone.now()) == 0
