"""A small video world on top of the shared cast: cohort A's schedule pinned around
now (HV1 past, S1 in two days, S2 in nine), national videos for S1 and S2, and local
videos of sites A and B for S1. Used by tests/videos and tests/portal."""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from babysteps.cohorts.models import PlannedSession
from babysteps.cohorts.services import cohort_schedule_generate
from babysteps.families.models import Parent
from babysteps.portal.identity import SESSION_HASH, SESSION_PARENT, _details_hash
from babysteps.programme.models import Component
from babysteps.videos.models import Video
from babysteps.videos.services import video_create, video_publish, video_version_add
from tests.factories import ParentFactory

MEDIA = Path(settings.BASE_DIR) / "babysteps" / "videos" / "demo_media"
WEBM = (MEDIA / "s1-growing.webm").read_bytes()
VTT = (MEDIA / "s1-growing.vtt").read_bytes()
POSTER = (MEDIA / "s1-growing.jpg").read_bytes()


def webm_upload(name: str = "clip.webm") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, WEBM, "video/webm")


def make_video(*, user, component: Component, site=None, title="A video", publish=True, **kw):
    video = video_create(created_by=user, component=component, site=site, title=title, **kw)
    video_version_add(
        video=video,
        uploaded_by=user,
        file=webm_upload(),
        captions=VTT,
        poster=SimpleUploadedFile("poster.jpg", POSTER, "image/jpeg"),
    )
    if publish:
        # Published a while ago, as a library is: calls of the last weeks had it to watch.
        video_publish(video=video, changed_by=user, now=timezone.now() - timedelta(days=60))
    return Video.objects.select_related("current_version").get(pk=video.pk)


def parent_client(parent: Parent) -> Client:
    """A browser signed in to the portal as this parent."""
    client = Client()
    session = client.session
    session[SESSION_PARENT] = parent.pk
    session[SESSION_HASH] = _details_hash(parent)
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def pin(cohort, code: str, when) -> None:
    PlannedSession.objects.filter(cohort=cohort, component__code=code).update(starts_at=when)


@pytest.fixture
def no_quiet_hours(settings) -> None:
    """Messages to parents go at once, whatever the time of day the suite runs."""
    from datetime import time

    settings.MESSAGE_QUIET_HOURS = (time(0), time(0))


@dataclass
class World:
    cast: object
    s1: Video  # national, S1: released to cohort A
    s2: Video  # national, S2: not released yet to cohort A
    local_a: Video  # site A's own, S1
    local_b: Video  # site B's own, S1
    mother_a: Parent
    partner_a: Parent
    mother_a2: Parent
    mother_b: Parent


@pytest.fixture
def world(cast) -> World:
    now = timezone.now()
    for cohort in (cast.cohort_a, cast.cohort_a2, cast.cohort_b):
        cohort_schedule_generate(cohort=cohort)
        pin(cohort, "HV1", now - timedelta(days=10))
        pin(cohort, "S1", now + timedelta(days=2))
        pin(cohort, "S2", now + timedelta(days=9))
    components = {c.code: c for c in Component.objects.all()}
    s1 = make_video(user=cast.admin, component=components["S1"], title="National S1")
    s2 = make_video(user=cast.admin, component=components["S2"], title="National S2")
    local_a = make_video(
        user=cast.manager_a, component=components["S1"], site=cast.site_a, title="Local A", order=2
    )
    local_b = make_video(
        user=cast.manager_b, component=components["S1"], site=cast.site_b, title="Local B", order=2
    )
    partner = ParentFactory(family=cast.family_a, role=Parent.Role.PARTNER, given_name="Pat")
    return World(
        cast=cast,
        s1=s1,
        s2=s2,
        local_a=local_a,
        local_b=local_b,
        mother_a=cast.family_a.parents.get(role="mother"),
        partner_a=partner,
        mother_a2=cast.family_a2.parents.get(role="mother"),
        mother_b=cast.family_b.parents.get(role="mother"),
    )
