"""The video library and portal working with delivery and bookings: a booked call is the
family's touchpoint (for releases, reminders, call prep), recording a call fills in
"watched beforehand" from what was played, and the report relates call length to it."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from babysteps.delivery.models import Attendance
from babysteps.delivery.services import AttendanceIn, contact_record
from babysteps.families.models import Family
from babysteps.programme.models import Component
from babysteps.videos.models import Video, VideoRelease
from babysteps.videos.releases import release_due
from babysteps.videos.reports import engagement
from babysteps.videos.selectors import family_watched_before, video_released_to_family
from babysteps.videos.touchpoints import next_touchpoint
from babysteps.videos.watching import watch_record
from tests.bookings.helpers import book, future_day, local, publish
from tests.videos.fixtures import pin

pytestmark = pytest.mark.django_db


def _record(world, family, facilitator, *, minutes: int, at):
    return contact_record(
        family=family,
        cohort=family.enrolments.get().cohort,
        component=world.s1.component,
        mode="video",
        starts_at=at,
        planned_minutes=30,
        actual_minutes=minutes,
        facilitators=[facilitator],
        recorded_by=facilitator,
        attendance=AttendanceIn(mother=True),
        now=at + timedelta(hours=1),
    )


def test_recording_a_call_fills_in_watched_beforehand_from_the_portal(world):
    now = timezone.now()
    for video in (world.s1, world.local_a):
        watch_record(parent=world.mother_a, video=video, intervals=[[0, 16]], now=now)
    watch_record(parent=world.mother_b, video=world.s1, intervals=[[0, 16]], now=now)
    later = now + timedelta(minutes=5)
    _record(world, world.cast.family_a, world.cast.midwife_a, minutes=20, at=later)
    _record(world, world.cast.family_b, world.cast.facilitator_b, minutes=40, at=later)
    flags = dict(Attendance.objects.values_list("family_id", "watched_videos_beforehand"))
    # Family B played the national video but not its site's own: not all watched.
    assert flags == {world.cast.family_a.pk: True, world.cast.family_b.pk: False}


def test_videos_published_after_a_session_leave_watching_not_known(world):
    """A 2019 session: today's videos were not there to watch, so "not known", never "no"."""
    back_then = local(timezone.localdate().replace(year=2019, month=3, day=14), time(10))
    assert (
        family_watched_before(
            family=world.cast.family_a, component=world.s1.component, before=back_then
        )
        is None
    )
    # After publication the same family, not having watched, is a "no".
    assert (
        family_watched_before(
            family=world.cast.family_a,
            component=world.s1.component,
            before=timezone.now() + timedelta(minutes=5),
        )
        is False
    )


def test_a_booked_call_is_the_touchpoint_and_opens_its_videos(world):
    s2 = Component.objects.get(code="S2")
    # Four or more days ahead, whatever the time of day the test runs: after the S1
    # session (exactly two days from now), before the S2 session (nine days), and with
    # the release (three days before the call) after the videos were published (now).
    day = future_day(4)
    assert video_released_to_family(world.cast.family_a, world.s2.pk, now=timezone.now()) is None
    publish(world.cast.midwife_a, world.cast.site_a, day)
    booking = book(world.cast, at=local(day, time(10)), component=s2)
    point = next_touchpoint(world.cast.family_a, now=timezone.now())
    assert point.component.code == "S1"  # the group session in two days comes first
    family = Family.objects.get(pk=world.cast.family_a.pk)
    # S2's session is nine days away, but the family's S2 call is booked sooner: its
    # videos open three days before the call.
    assert (
        video_released_to_family(family, world.s2.pk, now=booking.starts_at - timedelta(days=3))
        is not None
    )
    release_due(now=booking.starts_at - timedelta(days=3) + timedelta(minutes=1))
    assert VideoRelease.objects.filter(family=family, component=s2).exists()


def test_the_report_relates_call_length_to_watching(world, client_for):
    now = timezone.now()
    for cohort in (world.cast.cohort_a, world.cast.cohort_a2):
        pin(cohort, "S1", now - timedelta(hours=2))
    before = now - timedelta(days=1)
    for video in (world.s1, world.local_a):
        watch_record(parent=world.mother_a, video=video, intervals=[[0, 16]], now=before)
    _record(
        world, world.cast.family_a, world.cast.midwife_a, minutes=20, at=now - timedelta(hours=2)
    )
    _record(
        world,
        world.cast.family_a2,
        world.cast.facilitator_a2,
        minutes=50,
        at=now - timedelta(hours=2),
    )
    report = engagement(
        families=Family.objects.filter(site=world.cast.site_a), videos=Video.objects.all(), now=now
    )
    line = next(c for c in report.components if c.component.code == "S1")
    assert report.call_lengths_available
    assert (line.mean_minutes_watched, line.mean_minutes_not_watched) == (20, 50)
    content = client_for(world.cast.manager_a).get(reverse("videos:report")).content.decode()
    assert "Call length, watched (min)" in content


def test_the_facilitators_home_lists_booked_calls_to_prepare(world, client_for):
    day = future_day(2)
    publish(world.cast.midwife_a, world.cast.site_a, day)
    book(world.cast, at=local(day, time(11)), component=Component.objects.get(code="S3"))
    content = client_for(world.cast.midwife_a).get(reverse("home:index")).content.decode()
    assert "Calls and sessions to prepare" in content
    assert "S3 (phone call)" in content or "S3 (video call)" in content
