"""Captions in several languages: a track per language, the parent's turned on."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from babysteps.audit.models import AuditEvent
from babysteps.families.models import Family
from babysteps.videos.models import Video
from babysteps.videos.services import caption_track_add
from tests.videos.fixtures import VTT, parent_client

pytestmark = pytest.mark.django_db
WELSH = VTT.replace(b"Your baby", b"Mae eich babi")


def test_a_track_makes_a_new_version_that_keeps_the_file_and_the_other_tracks(world):
    video = world.s1
    first = video.current_version
    welsh = caption_track_add(
        video=video, language="cy", captions=WELSH, uploaded_by=world.cast.admin
    )
    video.refresh_from_db()
    assert welsh.version == video.current_version and welsh.version.number == first.number + 1
    assert welsh.version.file.name == first.file.name and welsh.version.captions == first.captions
    urdu = caption_track_add(video=video, language="ur", captions=VTT, uploaded_by=world.cast.admin)
    assert sorted(urdu.version.tracks.values_list("language", flat=True)) == ["cy", "ur"]
    assert AuditEvent.objects.filter(object_type="captiontrack", action="create").count() == 2


@pytest.mark.parametrize(
    ("language", "captions", "field"),
    [
        ("en", VTT, "language"),  # the video's own language: a new version instead
        ("xx", VTT, "language"),
        ("cy", b"not webvtt", "captions"),
    ],
)
def test_a_bad_track_is_refused_and_nothing_changes(world, language, captions, field):
    before = world.s1.current_version_id
    with pytest.raises(ValidationError) as caught:
        caption_track_add(
            video=world.s1, language=language, captions=captions, uploaded_by=world.cast.admin
        )
    assert field in caught.value.message_dict
    assert Video.objects.get(pk=world.s1.pk).current_version_id == before


def test_the_library_shows_the_languages_each_video_has_and_lacks(world, client_for):
    caption_track_add(video=world.s1, language="cy", captions=WELSH, uploaded_by=world.cast.admin)
    client = client_for(world.cast.admin)
    detail = client.get(reverse("videos:detail", args=[world.s1.pk])).content.decode()
    languages = re.search(r"<dd data-caption-languages>(.*?)</dd>", detail, re.S).group(1)
    assert languages.startswith("English, Welsh") and "Missing: Polish, Urdu" in languages
    listing = client.get(reverse("videos:list")).content.decode()
    assert 'English, Welsh<br><span class="muted">Missing: Polish, Urdu</span>' in listing
    response = client.post(
        reverse("videos:captions_add", args=[world.s1.pk]),
        {"language": "pl", "captions": SimpleUploadedFile("pl.vtt", VTT, "text/vtt")},
    )
    assert response.status_code == 302
    version = Video.objects.get(pk=world.s1.pk).current_version
    served = client.get(
        reverse("videos:version_captions", args=[world.s1.pk, version.pk]), {"lang": "cy"}
    )
    assert b"Mae eich babi" in served.content


def test_the_parents_language_is_on_by_default_in_the_portal(world):
    caption_track_add(video=world.s1, language="cy", captions=WELSH, uploaded_by=world.cast.admin)
    Family.objects.filter(pk=world.cast.family_a.pk).update(preferred_language="Welsh")
    client = parent_client(world.mother_a)
    page = client.get(reverse("portal:video", args=[world.s1.pk])).content.decode()
    tracks = re.findall(r"<track [^>]*>", page)
    assert len(tracks) == 2
    assert [t for t in tracks if " default>" in t] == [
        next(t for t in tracks if 'srclang="cy"' in t)
    ]
    welsh = client.get(reverse("portal:video_captions", args=[world.s1.pk]), {"lang": "cy"})
    assert b"Mae eich babi" in welsh.content
    assert (
        client.get(reverse("portal:video_captions", args=[world.s1.pk]), {"lang": "ur"}).status_code
        == 404
    )


def test_the_parents_own_choice_of_language_picks_the_captions(world):
    from babysteps.families.models import Parent

    caption_track_add(video=world.s1, language="cy", captions=WELSH, uploaded_by=world.cast.admin)
    caption_track_add(video=world.s1, language="ur", captions=VTT, uploaded_by=world.cast.admin)
    Family.objects.filter(pk=world.cast.family_a.pk).update(preferred_language="Urdu")
    Parent.objects.filter(pk=world.mother_a.pk).update(language="cy")
    page = (
        parent_client(world.mother_a)
        .get(reverse("portal:video", args=[world.s1.pk]))
        .content.decode()
    )
    (default,) = [t for t in re.findall(r"<track [^>]*>", page) if " default>" in t]
    assert 'srclang="cy"' in default
