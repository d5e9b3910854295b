"""Videos in object storage (issue 14, item 5): with ``MEDIA_STORAGE=s3`` uploads go to a
private bucket through django-storages, and with ``VIDEO_SERVE=redirect`` a parent's
player is sent to a signed URL that expires, tested against a real S3-compatible server
(moto in server mode, on loopback) started by the test."""

import socket
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.urls import reverse
from moto.server import ThreadedMotoServer

from tests.videos.fixtures import WEBM, parent_client

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3(settings, monkeypatch, tmp_path):
    """A fresh S3-compatible server and bucket; the app's default storage points at it."""
    for name, value in (
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "eu-west-2"),
    ):
        monkeypatch.setenv(name, value)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    bucket = f"babysteps-media-{uuid.uuid4().hex[:12]}"  # moto keeps buckets per process
    client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-2")
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )

    def point_at(expire: int) -> None:
        settings.MEDIA_ROOT = str(tmp_path / "media-unused")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": bucket,
                    "endpoint_url": endpoint,
                    "region_name": "eu-west-2",
                    "default_acl": "private",
                    "querystring_auth": True,
                    "querystring_expire": expire,
                    "file_overwrite": False,
                    "signature_version": "s3v4",
                },
            },
        }

    point_at(900)
    yield client, bucket, point_at
    server.stop()


@pytest.fixture
def s3_world(s3, request):
    """The videos world, its files uploaded to the bucket."""
    return s3, request.getfixturevalue("world")


def test_uploads_go_to_the_private_bucket(s3_world, tmp_path):
    (client, bucket, _point_at), world = s3_world
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]
    name = world.s1.current_version.file.name
    assert name in keys
    body = client.get_object(Bucket=bucket, Key=name)["Body"].read()
    assert body == WEBM
    assert not (tmp_path / "media-unused").exists()  # nothing on the local disk
    # Nobody reads it without a signature.
    url = f"{client.meta.endpoint_url}/{bucket}/{name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=10)  # noqa: S310 - loopback test server
    assert refused.value.code == 403


def test_a_parent_is_sent_to_a_short_lived_signed_url_that_serves_ranges(s3_world, settings):
    (client, bucket, _point_at), world = s3_world
    settings.VIDEO_SERVE = "redirect"
    response = parent_client(world.mother_a).get(reverse("portal:video_file", args=[world.s1.pk]))
    assert response.status_code == 302
    location = response["Location"]
    parts = urlsplit(location)
    query = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}" == client.meta.endpoint_url
    assert query["X-Amz-Expires"] == ["900"]
    assert "X-Amz-Signature" in query
    # The object's own key (videos/<video>/<random name>): nothing about the family.
    assert parts.path == f"/{bucket}/{world.s1.current_version.file.name}"
    ranged = urllib.request.Request(location, headers={"Range": "bytes=1000-1999"})  # noqa: S310
    with urllib.request.urlopen(ranged, timeout=10) as answer:  # noqa: S310 - loopback
        assert answer.status == 206
        assert answer.read() == WEBM[1000:2000]

    # Another family's parent gets no URL at all.
    other = parent_client(world.mother_b).get(reverse("portal:video_file", args=[world.local_a.pk]))
    assert other.status_code == 404
    assert "Location" not in other


def test_the_signed_url_lives_as_long_as_configured(s3_world, settings):
    """S3 refuses a signed URL once X-Amz-Expires seconds have passed since X-Amz-Date (moto
    does not enforce it, so the test checks what the URL asks for)."""
    (_client, _bucket, point_at), world = s3_world
    point_at(60)
    settings.VIDEO_SERVE = "redirect"
    response = parent_client(world.mother_a).get(reverse("portal:video_file", args=[world.s1.pk]))
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["X-Amz-Expires"] == ["60"]
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - signed_at).total_seconds()) < 60


def test_the_app_can_still_stream_ranges_from_the_bucket(s3_world):
    _s3, world = s3_world
    response = parent_client(world.mother_a).get(
        reverse("portal:video_file", args=[world.s1.pk]), HTTP_RANGE="bytes=100-199"
    )
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == WEBM[100:200]
