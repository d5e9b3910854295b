"""The demo gives a newcomer a parent to sign in as, with real captioned videos."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from babysteps.families.models import Parent
from babysteps.videos.containers import sniff
from babysteps.videos.models import Video
from babysteps.videos.selectors import released_components
from babysteps.videos.touchpoints import next_touchpoint

pytestmark = pytest.mark.django_db


def test_demo_parent_has_released_captioned_videos_and_a_call_coming(settings):
    settings.SITE_URL = "http://127.0.0.1:8765"  # as `PORT=8765 make run` sets it
    out = StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue()
    assert "open http://127.0.0.1:8765/portal/ and enter parent@blackpool.demo" in printed
    mother = Parent.objects.select_related("family__site").get(email="parent@blackpool.demo")
    assert mother.role == "mother" and mother.family.site.name == "Blackpool"
    assert Parent.objects.get(email="partner@blackpool.demo").family == mother.family
    now = timezone.now()
    groups = released_components(mother.family, now=now)
    codes = {g.component.code for g in groups if g.videos}
    assert {"HV1", "S1", "S2", "S3"} <= codes and "S4" not in codes
    upcoming = next_touchpoint(mother.family, now=now)
    assert upcoming.component.code == "S3" and upcoming.kind == "video call"
    assert upcoming.booking_id is not None and upcoming.facilitator_name == "Joanne Ellis"
    videos = Video.objects.filter(status="published", site__isnull=True)
    assert videos.count() >= 6
    for video in videos:
        version = video.current_version
        with version.file.open("rb") as f:
            assert sniff(f.read(8192)) == "video/webm"
        assert version.captions.startswith("WEBVTT") and version.poster
    # A second run adds nothing.
    count = Video.objects.count()
    call_command("demo", stdout=StringIO())
    assert Video.objects.count() == count
