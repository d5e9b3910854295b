"""Private streaming with HTTP range requests: exact bytes, 206, Content-Range,
Accept-Ranges; 416 beyond the end; the production hand-off headers."""

import pytest
from django.urls import reverse

from tests.videos.fixtures import WEBM, parent_client

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_range_request_returns_exactly_those_bytes(world):
    client = parent_client(world.mother_a)
    url = reverse("portal:video_file", args=[world.s1.pk])
    response = client.get(url, HTTP_RANGE="bytes=1000-1999")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-1999/{len(WEBM)}"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == "1000"
    assert response["Content-Type"] == "video/webm"
    assert _body(response) == WEBM[1000:2000]


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=-500", len(WEBM) - 500, len(WEBM) - 1), ("bytes=20000-", 20000, len(WEBM) - 1)],
)
def test_suffix_and_open_ranges(world, header, start, end):
    client = parent_client(world.mother_a)
    response = client.get(reverse("portal:video_file", args=[world.s1.pk]), HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(WEBM)}"
    assert _body(response) == WEBM[start : end + 1]


def test_whole_file_without_a_range(world):
    client = parent_client(world.mother_a)
    response = client.get(reverse("portal:video_file", args=[world.s1.pk]))
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(WEBM))
    assert response["Cache-Control"] == "no-store"  # never kept: a signed-in parent's
    assert _body(response) == WEBM


def test_a_range_beyond_the_end_is_416(world):
    client = parent_client(world.mother_a)
    response = client.get(
        reverse("portal:video_file", args=[world.s1.pk]), HTTP_RANGE=f"bytes={len(WEBM)}-"
    )
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(WEBM)}"


def test_if_range_with_an_old_etag_sends_the_whole_file(world):
    client = parent_client(world.mother_a)
    url = reverse("portal:video_file", args=[world.s1.pk])
    etag = client.get(url, HTTP_RANGE="bytes=0-9")["ETag"]
    assert client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag).status_code == 206
    assert client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old"').status_code == 200


def test_staff_preview_streams_with_ranges_too(world, client_for):
    url = reverse("videos:version_file", args=[world.local_a.pk, world.local_a.current_version_id])
    response = client_for(world.cast.manager_a).get(url, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206 and _body(response) == WEBM[:100]
    assert client_for(world.cast.manager_b).get(url).status_code == 404


@pytest.mark.parametrize(
    ("mode", "header"), [("x-accel-redirect", "X-Accel-Redirect"), ("x-sendfile", "X-Sendfile")]
)
def test_production_hands_the_bytes_to_the_web_server(world, settings, mode, header):
    settings.VIDEO_SERVE = mode
    client = parent_client(world.mother_a)
    response = client.get(reverse("portal:video_file", args=[world.s1.pk]))
    assert response.status_code == 200
    assert world.s1.current_version.file.name in response[header]
    assert response.content == b""
    # The app still decides: another family's parent gets nothing to hand off.
    other = parent_client(world.mother_b)
    assert other.get(reverse("portal:video_file", args=[world.s1.pk])).status_code == 200
    assert other.get(reverse("portal:video_file", args=[world.local_a.pk])).status_code == 404


def test_a_burst_of_range_requests_reuses_the_access_decision_briefly(world, settings):
    from django.core.cache import cache

    from babysteps.cohorts.models import Enrolment

    cache.clear()
    client = parent_client(world.mother_a)
    url = reverse("portal:video_file", args=[world.s1.pk])
    assert client.get(url, HTTP_RANGE="bytes=0-9").status_code == 206
    Enrolment.objects.filter(family=world.cast.family_a).update(
        status="withdrawn", withdrawal_reason="Moved"
    )
    # Within the grant's few seconds the player's next range still comes...
    assert client.get(url, HTTP_RANGE="bytes=10-19").status_code == 206
    # ...but not for another session, and not once the grant has lapsed.
    assert parent_client(world.mother_a).get(url).status_code == 404
    cache.clear()
    assert client.get(url, HTTP_RANGE="bytes=10-19").status_code == 404
    settings.PORTAL_STREAM_GRANT_SECONDS = 0
    Enrolment.objects.filter(family=world.cast.family_a).update(status="active")
    client = parent_client(world.mother_a)  # the lapsed check also ended that session
    assert client.get(url).status_code == 200
    Enrolment.objects.filter(family=world.cast.family_a).update(status="withdrawn")
    assert client.get(url).status_code == 404
