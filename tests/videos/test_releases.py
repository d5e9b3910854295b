"""Releasing a component's videos N days before the family's call, with a message by
their preferred channel, once; and one gentle "not watched yet" reminder two days
before, through the task worker (tested by calling the sweepers with ``now=``)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from babysteps.core.periodic import jobs
from babysteps.notifications.models import Message
from babysteps.videos.models import VideoRelease
from babysteps.videos.releases import release_due
from babysteps.videos.reminders import reminder_send, reminders_due
from babysteps.videos.watching import watch_record
from tests.videos.fixtures import pin

pytestmark = pytest.mark.django_db


def _messages(kind: str, family) -> list[Message]:
    return list(Message.objects.filter(key__startswith=f"videos:{kind}:{family.pk}:"))


def test_videos_are_released_three_days_before_with_one_message_per_parent(world, no_quiet_hours):
    now = timezone.now()
    assert release_due(now=now) >= 1  # S1 is in two days: inside the window
    family = world.cast.family_a
    release = VideoRelease.objects.get(family=family, component=world.s1.component)
    assert release.released_at == now
    sent = _messages("release", family)
    assert {m.parent_id for m in sent} == {world.mother_a.pk, world.partner_a.pk}
    assert all("2 short videos to watch" in m.subject for m in sent)  # national + local A
    assert all("/portal/" in m.body for m in sent)
    # Running again (or in another process) sends nothing more.
    assert release_due(now=now) == 0
    assert release_due(now=now + timedelta(hours=1)) == 0
    assert len(_messages("release", family)) == 2
    # S2 (nine days away) is not released until three days before.
    assert not VideoRelease.objects.filter(family=family, component=world.s2.component).exists()
    release_due(now=now + timedelta(days=6, hours=1))
    assert VideoRelease.objects.filter(family=family, component=world.s2.component).exists()


def test_a_component_without_videos_is_not_released(world):
    now = timezone.now()
    pin(world.cast.cohort_a, "S3", now + timedelta(days=1))
    release_due(now=now)
    assert not VideoRelease.objects.filter(component__code="S3").exists()


def test_the_release_message_uses_the_preferred_channel(world, no_quiet_hours):
    from babysteps.families.models import Family

    world.mother_a.mobile = "07700 900111"
    world.mother_a.save()
    Family.objects.filter(pk=world.cast.family_a.pk).update(preferred_channel="sms")
    release_due(now=timezone.now())
    message = Message.objects.get(key__startswith="videos:release:", parent=world.mother_a)
    assert message.channel == "sms" and message.to == "07700 900111"


def test_one_reminder_two_days_before_if_not_watched(world, no_quiet_hours):
    now = timezone.now()
    family = world.cast.family_a
    pin(world.cast.cohort_a, "S1", now + timedelta(days=2, hours=12))
    release_due(now=now)
    # Two and a half days before: too early for the reminder.
    reminders_due(now=now)
    assert not _messages("reminder", family)
    at = now + timedelta(hours=13)  # now less than two days before the call
    reminders_due(now=at)
    assert len(_messages("reminder", family)) == 2  # both parents, gently
    reminders_due(now=at + timedelta(hours=1))  # once
    assert reminder_send(family_id=family.pk, component_id=world.s1.component_id, now=at) == 0
    reminders = _messages("reminder", family)
    assert len(reminders) == 2 and "No pressure" in reminders[0].body


def test_no_reminder_when_the_videos_were_watched(world, no_quiet_hours):
    now = timezone.now()
    release_due(now=now)
    for video in (world.s1, world.local_a):  # each watched by one parent or the other
        watch_record(parent=world.mother_a, video=video, intervals=[[0, 16]], now=now)
    reminders_due(now=now + timedelta(hours=1))
    assert not _messages("reminder", world.cast.family_a)
    assert _messages("reminder", world.cast.family_b)  # family B watched nothing


def test_a_call_moved_later_reminds_at_the_new_time_only(world, no_quiet_hours):
    now = timezone.now()
    release_due(now=now)
    component_id = world.s1.component_id
    pin(world.cast.cohort_a, "S1", now + timedelta(days=6))  # moved: the deferred task fires
    assert reminder_send(family_id=world.cast.family_a.pk, component_id=component_id, now=now) == 0
    assert not _messages("reminder", world.cast.family_a)
    reminders_due(now=now + timedelta(days=4, hours=1))
    assert len(_messages("reminder", world.cast.family_a)) == 2


def test_the_sweepers_are_registered_for_run_periodic():
    names = set(jobs())
    assert {"videos: release to families", "videos: not-watched reminders"} <= names
    assert "portal: drop sign-in codes from sent messages" in names
