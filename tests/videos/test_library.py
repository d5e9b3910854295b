"""The video library: uploads checked by content, captions required to publish,
versions, retiring, national versus local videos."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from babysteps.programme.models import Component
from babysteps.videos.models import Video, VideoVersion
from babysteps.videos.services import video_create, video_retire
from tests.videos.fixtures import POSTER, VTT, WEBM, make_video, parent_client, webm_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cast):
    return video_create(
        created_by=cast.admin, component=Component.objects.get(code="S3"), site=None, title="Draft"
    )


def _upload(client, video, **files):
    return client.post(reverse("videos:version_new", args=[video.pk]), files)


def test_a_renamed_text_file_is_refused_with_a_clear_message(client_for, cast, draft):
    fake = SimpleUploadedFile("lesson.mp4", b"This is just text, renamed.\n" * 200, "video/mp4")
    response = _upload(
        client_for(cast.admin), draft, file=fake, captions=SimpleUploadedFile("c.vtt", VTT)
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "not a video that browsers can play" in content
    assert "whatever its name says" in content
    assert not VideoVersion.objects.exists()


def test_broken_captions_are_refused_with_a_clear_message(client_for, cast, draft):
    broken = SimpleUploadedFile("c.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nHello\n")
    response = _upload(client_for(cast.admin), draft, file=webm_upload(), captions=broken)
    assert "The captions are not valid WebVTT" in response.content.decode()
    assert not VideoVersion.objects.exists()
    not_vtt = SimpleUploadedFile("c.vtt", b"1\n00:00:01,000 --> 00:00:02,000\nSRT, not VTT\n")
    response = _upload(client_for(cast.admin), draft, file=webm_upload(), captions=not_vtt)
    assert "must start with the line WEBVTT" in response.content.decode()


def test_a_too_large_file_is_refused(client_for, cast, draft, settings):
    settings.VIDEO_MAX_UPLOAD_MB = 0
    response = _upload(client_for(cast.admin), draft, file=webm_upload())
    assert "the largest video accepted is 0 MB" in response.content.decode()


def test_a_poster_must_be_an_image(client_for, cast, draft):
    response = _upload(
        client_for(cast.admin),
        draft,
        file=webm_upload(),
        poster=SimpleUploadedFile("p.jpg", b"text"),
    )
    assert "The poster must be a JPEG, PNG or WebP image" in response.content.decode()


def test_a_good_upload_reads_the_duration_and_becomes_current(client_for, cast, draft):
    response = _upload(
        client_for(cast.admin),
        draft,
        file=webm_upload("anything.mov"),
        captions=SimpleUploadedFile("c.vtt", VTT),
        poster=SimpleUploadedFile("p.jpg", POSTER),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    version = draft.current_version
    assert version.number == 1 and version.duration_seconds == pytest.approx(16)
    assert version.content_type == "video/webm" and version.file.name.endswith(".webm")
    assert version.size_bytes == len(WEBM) and version.poster_type == "image/jpeg"
    assert "Your baby can already hear" in version.transcript  # made from the captions


def test_captions_are_required_to_publish(client_for, cast, draft):
    client = client_for(cast.admin)
    _upload(client, draft, file=webm_upload())
    response = client.post(reverse("videos:publish", args=[draft.pk]), follow=True)
    assert "Add WebVTT captions before publishing" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    # Captions alone in a new version: the file is carried over.
    _upload(client, draft, captions=SimpleUploadedFile("c.vtt", VTT))
    client.post(reverse("videos:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "published" and draft.current_version.number == 2
    assert draft.current_version.file.name == VideoVersion.objects.get(number=1).file.name


def test_retiring_hides_a_video_from_new_families_only(world):
    from babysteps.cohorts.models import PlannedSession
    from babysteps.videos.selectors import video_released_to_family

    # Family A has S1 released already (its call is in two days); family B's S1 call is
    # in twenty days, so its videos open to B only in seventeen.
    now = timezone.now()
    PlannedSession.objects.filter(cohort=world.cast.cohort_b, component__code="S1").update(
        starts_at=now + timedelta(days=20)
    )
    video_retire(video=world.s1, changed_by=world.cast.admin, now=now)
    later = now + timedelta(days=18)
    assert video_released_to_family(world.cast.family_a, world.s1.pk, now=later) is not None
    assert video_released_to_family(world.cast.family_b, world.s1.pk, now=later) is None
    # B's own local S1 video, still published, opens as usual.
    assert video_released_to_family(world.cast.family_b, world.local_b.pk, now=later) is not None
    assert (
        parent_client(world.mother_a).get(reverse("portal:video", args=[world.s1.pk])).status_code
        == 200
    )


def test_managers_add_local_videos_but_not_national_ones(client_for, cast, world):
    client = client_for(cast.manager_a)
    response = client.post(
        reverse("videos:create"),
        {
            "component": Component.objects.get(code="S1").pk,
            "site": "",
            "title": "Sneaky",
            "language": "English",
            "order": 1,
        },
    )
    assert response.status_code == 200 and not Video.objects.filter(title="Sneaky").exists()
    response = client.post(
        reverse("videos:create"),
        {
            "component": Component.objects.get(code="S1").pk,
            "site": cast.site_a.pk,
            "title": "Ours",
            "language": "English",
            "order": 3,
        },
    )
    assert response.status_code == 302
    assert Video.objects.get(title="Ours").site == cast.site_a
    assert client.get(reverse("videos:edit", args=[world.s1.pk])).status_code == 403
    assert client.get(reverse("videos:detail", args=[world.s1.pk])).status_code == 200
    assert client.get(reverse("videos:detail", args=[world.local_b.pk])).status_code == 404


def test_facilitators_open_and_play_their_sites_entries_but_change_none(client_for, cast, world):
    client = client_for(cast.midwife_a)
    content = client.get(reverse("videos:list")).content.decode()
    assert "National S1" in content and "Local A" in content and "Local B" not in content
    detail = client.get(reverse("videos:detail", args=[world.s1.pk]))
    assert detail.status_code == 200
    assert reverse("videos:edit", args=[world.s1.pk]) not in detail.content.decode()
    version = world.s1.current_version_id
    file_url = reverse("videos:version_file", args=[world.s1.pk, version])
    ranged = client.get(file_url, HTTP_RANGE="bytes=0-9")
    assert ranged.status_code == 206
    assert b"".join(ranged.streaming_content) == WEBM[:10]
    assert client.get(reverse("videos:detail", args=[world.local_a.pk])).status_code == 200
    assert client.get(reverse("videos:detail", args=[world.local_b.pk])).status_code == 404
    assert client.get(reverse("videos:edit", args=[world.s1.pk])).status_code == 404
    assert client.post(reverse("videos:retire", args=[world.s1.pk])).status_code == 404
    world.s1.refresh_from_db()
    assert world.s1.status == "published"


def test_external_links_must_be_allowed_hosts(cast, settings):
    from django.core.exceptions import ValidationError

    component = Component.objects.get(code="S4")
    with pytest.raises(ValidationError, match="CSP_FRAME_SRC"):
        video_create(
            created_by=cast.admin,
            component=component,
            site=None,
            title="X",
            external_url="https://videos.example/x",
        )
    with pytest.raises(ValidationError, match="https"):
        video_create(
            created_by=cast.admin,
            component=component,
            site=None,
            title="X",
            external_url="http://videos.example/x",
        )
    settings.CSP_FRAME_SRC = ["https://videos.example"]
    video = video_create(
        created_by=cast.admin,
        component=component,
        site=None,
        title="X",
        external_url="https://videos.example/x",
    )
    assert video.is_external


def test_an_external_video_is_embedded_for_parents(world, settings):
    from babysteps.videos.services import video_publish, video_update, video_version_add

    settings.CSP_FRAME_SRC = ["https://videos.example"]
    video = video_create(
        created_by=world.cast.admin,
        component=world.s1.component,
        site=None,
        title="Hosted",
        order=5,
        external_url="https://videos.example/embed/1",
    )
    video_version_add(video=video, uploaded_by=world.cast.admin, duration_seconds=90)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="captions"):
        video_publish(video=video, changed_by=world.cast.admin)
    video_update(video=video, changed_by=world.cast.admin, external_captions_confirmed=True)
    video_publish(video=video, changed_by=world.cast.admin)
    content = (
        parent_client(world.mother_a).get(reverse("portal:video", args=[video.pk])).content.decode()
    )
    assert '<iframe src="https://videos.example/embed/1"' in content


def test_families_see_videos_in_their_language_where_there_are_some(world):
    from babysteps.families.models import Family

    polish = make_video(
        user=world.cast.admin, component=world.s1.component, title="Rośnie", language="Polish"
    )
    client = parent_client(world.mother_a)
    home = client.get(reverse("portal:home")).content.decode()
    assert "National S1" in home and "Rośnie" not in home
    Family.objects.filter(pk=world.cast.family_a.pk).update(preferred_language="Polish")
    home = parent_client(world.mother_a).get(reverse("portal:home")).content.decode()
    assert "Rośnie" in home and "National S1" not in home
    assert polish.pk


@pytest.mark.parametrize("probed", [float("nan"), -16.0, 0.0, 1e297, float("inf")])
def test_a_crafted_header_cannot_store_an_impossible_length(
    client_for, cast, draft, monkeypatch, probed
):
    """A WebM header can claim any length; what is read is checked like a typed one."""
    monkeypatch.setattr("babysteps.videos.services.probe_duration", lambda *a, **k: probed)
    response = _upload(client_for(cast.admin), draft, file=webm_upload())
    assert response.status_code == 200
    assert "could not be read from the file" in response.content.decode()
    assert not VideoVersion.objects.filter(video=draft).exists()
    typed = _upload(client_for(cast.admin), draft, file=webm_upload(), duration_seconds="16")
    assert typed.status_code == 302  # the uploader may give the real length instead
