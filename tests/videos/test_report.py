"""The engagement report, and list pages whose query counts do not grow with rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from babysteps.families.models import Family
from babysteps.portal.services import question_ask
from babysteps.videos.models import Video
from babysteps.videos.reports import engagement
from babysteps.videos.watching import watch_record
from tests.factories import EnrolmentFactory, ParentFactory
from tests.videos.fixtures import make_video, parent_client, pin

pytestmark = pytest.mark.django_db


def test_engagement_counts_views_completion_and_watching_before_the_call(world):
    now = timezone.now()
    pin(world.cast.cohort_a, "S1", now - timedelta(hours=1))  # the call has happened
    before = now - timedelta(days=1)
    watch_record(parent=world.mother_a, video=world.s1, intervals=[[0, 16]], now=before)
    watch_record(parent=world.partner_a, video=world.local_a, intervals=[[0, 16]], now=before)
    watch_record(parent=world.mother_a2, video=world.s1, intervals=[[0, 4]], now=before)
    report = engagement(
        families=Family.objects.filter(site=world.cast.site_a), videos=Video.objects.all(), now=now
    )
    lines = {line.video.title: line for line in report.videos}
    s1 = lines["National S1"]
    assert (s1.released, s1.viewers, s1.families_completed) == (2, 2, 1)  # families A and A2
    assert s1.completion_rate == 50 and s1.average_percent == round((100 + 25) / 2)
    assert lines["Local A"].families_completed == 1 and lines["Local B"].released == 0
    component = next(c for c in report.components if c.component.code == "S1")
    assert (component.released, component.started, component.completed) == (2, 2, 1)
    # Family A's call has happened, A2's (in two days) not yet: 1 of 1 watched before.
    assert component.calls_past == 1 and component.watched_before_share == 100
    assert report.call_lengths_available is False


def test_report_page_for_managers_only_their_site(world, client_for):
    watch_record(parent=world.mother_a, video=world.s1, intervals=[[0, 16]])
    content = client_for(world.cast.manager_a).get(reverse("videos:report")).content.decode()
    assert "National S1" in content and "Local A" in content and "Local B" not in content
    assert "Call length beside watching appears once calls" in content
    assert client_for(world.cast.midwife_a).get(reverse("videos:report")).status_code == 403
    assert client_for(world.cast.admin).get(reverse("videos:report")).status_code == 200


def _grow(world, n: int) -> None:
    from babysteps.cohorts.models import Cohort

    Cohort.objects.filter(pk=world.cast.cohort_a.pk).update(capacity=20)
    for i in range(n):
        enrolment = EnrolmentFactory(family__site=world.cast.site_a, cohort=world.cast.cohort_a)
        parent = enrolment.family.parents.get()
        ParentFactory(family=enrolment.family, role="partner")
        watch_record(parent=parent, video=world.s1, intervals=[[0, 3 + i % 10]])
        question_ask(parent=parent, text=f"Question {i}", call_me_soon=i % 3 == 0)
        if i % 4 == 0:
            make_video(user=world.cast.admin, component=world.s1.component, title=f"Extra {i}")


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("viewer", "url"),
    [
        ("manager_a", "videos:list"),
        ("admin", "videos:list"),
        ("manager_a", "videos:report"),
        ("midwife_a", "home:index"),
        ("manager_a", "home:index"),
    ],
)
def test_staff_pages_queries_do_not_grow(world, client_for, settings, viewer, url):
    settings.PAGE_SIZE = 500
    client = client_for(getattr(world.cast, viewer))
    _grow(world, 3)
    small = _count(client, reverse(url))
    _grow(world, 17)
    assert _count(client, reverse(url)) == small


def test_portal_home_and_call_prep_queries_do_not_grow(world, client_for):
    parent = parent_client(world.mother_a)
    staff = client_for(world.cast.midwife_a)
    prep = reverse("prep:family", args=[world.cast.family_a.pk])
    _grow(world, 2)
    for i in range(2):
        question_ask(parent=world.mother_a, text=f"Mine {i}")
    small = (_count(parent, reverse("portal:home")), _count(staff, prep))
    _grow(world, 10)
    for i in range(10):
        question_ask(parent=world.partner_a, text=f"Partner {i}")
        watch_record(parent=world.partner_a, video=world.local_a, intervals=[[0, 1 + i]])
    assert (_count(parent, reverse("portal:home")), _count(staff, prep)) == small


def test_cohort_page_shows_videos_before_calls(world, client_for):
    watch_record(parent=world.mother_a, video=world.s1, intervals=[[0, 16]])
    content = (
        client_for(world.cast.midwife_a)
        .get(reverse("cohorts:detail", args=[world.cast.cohort_a.pk]))
        .content.decode()
    )
    assert "Videos before calls" in content and "S1: Our developing baby" in content


def test_the_report_has_a_date_range_a_chart_and_leaves_out_calls_before_the_videos(
    world, client_for
):
    now = timezone.now()
    pin(world.cast.cohort_a, "S1", now - timedelta(hours=1))  # a call that has happened
    watch_record(
        parent=world.mother_a, video=world.s1, intervals=[[0, 16]], now=now - timedelta(days=1)
    )
    client = client_for(world.cast.manager_a)
    page = client.get(reverse("videos:report"))
    text = page.content.decode()
    year_ago = (timezone.localdate() - timedelta(days=365)).strftime("%-d %B %Y")
    assert f"from {year_ago} to" in text  # the last 12 months by default
    assert "Families who watched the videos before their call" in text  # the chart's title
    assert 'role="img"' in text and "(%)" in text  # an axis with its unit
    # A range before these calls shows nothing of them.
    old = client.get(reverse("videos:report"), {"date_from": "2019-01-01", "date_to": "2019-12-31"})
    assert old.context["report"].components == [] and old.context["chart"] == ""
    # A 2019 call: the videos published this year were not there to watch then.
    pin(world.cast.cohort_a, "S1", now.replace(year=2019))
    report = engagement(
        families=Family.objects.filter(site=world.cast.site_a), videos=Video.objects.all(), now=now
    )
    s1 = next(line for line in report.videos if line.video.title == "National S1")
    assert s1.released == 1  # family A2's S1, still ahead; not family A's 2019 call
    bad = client.get(reverse("videos:report"), {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert "The end comes before the start." in bad.content.decode()
