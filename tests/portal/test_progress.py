"""The player's progress reports: merged played intervals, batched, idempotent,
tolerant of resends; only for the parent's own released videos."""

import json

import pytest
from django.urls import reverse

from babysteps.videos.models import VideoWatch
from tests.videos.fixtures import parent_client

pytestmark = pytest.mark.django_db


def _report(client, video, ranges):
    return client.post(
        reverse("portal:video_progress", args=[video.pk]), {"intervals": json.dumps(ranges)}
    )


def test_scrubbing_to_the_end_is_not_watched(world):
    client = parent_client(world.mother_a)
    # Played 3 seconds, jumped to the end, let the last second play.
    response = _report(client, world.s1, [[0, 3], [15, 16]])
    assert response.json() == {"seconds_watched": 4.0, "duration": 16.0, "watched": False}
    watch = VideoWatch.objects.get()
    assert watch.intervals == [[0, 3], [15, 16]] and watch.completed_at is None


def test_watched_once_ninety_percent_is_really_played(world, settings):
    client = parent_client(world.mother_a)
    _report(client, world.s1, [[0, 7]])
    _report(client, world.s1, [[6, 14]])
    assert not VideoWatch.objects.get().completed_at  # 14 of 16 s = 87.5%
    response = _report(client, world.s1, [[13.5, 14.5]])
    assert response.json()["watched"] is True  # 14.5 s = 90.6%
    settings.VIDEO_WATCHED_FRACTION = 0.5
    client2 = parent_client(world.partner_a)
    assert _report(client2, world.s1, [[0, 8]]).json()["watched"] is True


def test_resending_the_same_batch_changes_nothing(world):
    client = parent_client(world.mother_a)
    batch = [[0, 4.5], [8, 10]]
    first = _report(client, world.s1, batch).json()
    for _ in range(3):  # back online: the same batch, and a stale one, arrive again
        assert _report(client, world.s1, batch).json() == first
        assert _report(client, world.s1, [[1, 2]]).json() == first
    watch = VideoWatch.objects.get()
    assert watch.seconds_watched == 6.5 and watch.reports == 7


def test_json_body_is_accepted_too(world):
    client = parent_client(world.mother_a)
    response = client.post(
        reverse("portal:video_progress", args=[world.s1.pk]),
        data=json.dumps({"intervals": [[0, 2]]}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["seconds_watched"] == 2.0


@pytest.mark.parametrize("body", ["not json", json.dumps([[5, 1]]), json.dumps({"a": 1}), ""])
def test_malformed_reports_are_422_and_change_nothing(world, body):
    client = parent_client(world.mother_a)
    response = client.post(
        reverse("portal:video_progress", args=[world.s1.pk]), {"intervals": body}
    )
    assert response.status_code == 422
    assert not VideoWatch.objects.exists()


def test_each_parent_has_their_own_watch(world):
    _report(parent_client(world.mother_a), world.s1, [[0, 16]])
    _report(parent_client(world.partner_a), world.s1, [[0, 2]])
    rows = {w.parent_id: w.seconds_watched for w in VideoWatch.objects.all()}
    assert rows == {world.mother_a.pk: 16.0, world.partner_a.pk: 2.0}


def test_progress_needs_post(world):
    client = parent_client(world.mother_a)
    assert client.get(reverse("portal:video_progress", args=[world.s1.pk])).status_code == 405


def test_a_new_version_keeps_the_viewing_history(world):
    from babysteps.videos.services import video_version_add
    from tests.videos.fixtures import webm_upload

    client = parent_client(world.mother_a)
    _report(client, world.s1, [[0, 16]])
    video_version_add(
        video=world.s1, uploaded_by=world.cast.admin, file=webm_upload(), note="Re-cut"
    )
    world.s1.refresh_from_db()
    assert world.s1.current_version.number == 2
    response = client.get(reverse("portal:video", args=[world.s1.pk]))
    assert b"You have watched this video" in response.content
    assert VideoWatch.objects.get().completed_at is not None


def test_deep_json_to_the_portal_progress_endpoint_is_422(world):
    client = parent_client(world.mother_a)
    url = reverse("portal:video_progress", args=[world.s1.pk])
    response = client.post(url, data="[" * 100_000 + "]" * 100_000, content_type="application/json")
    assert response.status_code == 422
