"""Who may reach a video, its file and its progress endpoint: only a signed-in parent
of a family whose component has reached its release date. Everyone else gets 404,
the same 404 as for a video that does not exist."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from babysteps.cohorts.models import Enrolment
from babysteps.videos.models import VideoWatch
from tests.videos.fixtures import parent_client, pin

pytestmark = pytest.mark.django_db


def _urls(video_id: int) -> dict[str, str]:
    return {
        name: reverse(f"portal:{name}", args=[video_id])
        for name in ("video", "video_file", "video_captions", "video_poster", "video_progress")
    }


def _request(client: Client, name: str, url: str):
    if name == "video_progress":
        return client.post(url, {"intervals": json.dumps([[0, 5]])})
    return client.get(url)


def _outsiders(world, client_for) -> dict[str, Client]:
    cast = world.cast
    return {
        "parent of another family (other site)": parent_client(world.mother_b),
        "parent of another family (same site)": parent_client(world.mother_a2),
        "signed-out visitor": Client(),
        "staff member of another site": client_for(cast.facilitator_b),
        "manager of another site": client_for(cast.manager_b),
        # Staff of the same site are not parents: the portal is not theirs either.
        "facilitator of the family": client_for(cast.midwife_a),
    }


def test_outsiders_get_404_for_the_video_page_file_and_progress(world, client_for):
    # The other families' own S1 calls are three weeks away, so the national S1 video,
    # released to family A, is not released to them (a national video is released per
    # family, by its own call date; a local video only ever to its own site).
    for cohort in (world.cast.cohort_a2, world.cast.cohort_b):
        pin(cohort, "S1", timezone.now() + timedelta(days=20))
    failures = []
    for who, client in _outsiders(world, client_for).items():
        for video in (world.s1, world.local_a):
            for name, url in _urls(video.pk).items():
                response = _request(client, name, url)
                if response.status_code != 404:
                    failures.append(f"{who}: {name} of {video} -> {response.status_code}")
    assert not failures, "\n".join(failures)
    assert not VideoWatch.objects.exists()


def test_a_parent_whose_family_has_not_reached_the_component_gets_404(world):
    client = parent_client(world.mother_a)
    for name, url in _urls(world.s2.pk).items():  # S2 is nine days away: not released
        assert _request(client, name, url).status_code == 404, name
    # Three days before, it opens.
    pin(world.cast.cohort_a, "S2", timezone.now() + timedelta(days=3) - timedelta(minutes=1))
    assert client.get(reverse("portal:video", args=[world.s2.pk])).status_code == 200


def test_another_sites_local_video_is_404_even_when_its_component_is_released(world):
    client = parent_client(world.mother_a)
    for name, url in _urls(world.local_b.pk).items():
        assert _request(client, name, url).status_code == 404, name


def test_unknown_and_draft_videos_are_404(world):
    from babysteps.videos.models import Video

    Video.objects.filter(pk=world.local_a.pk).update(status="draft")
    client = parent_client(world.mother_a)
    for video_id in (world.local_a.pk, 987654):
        for name, url in _urls(video_id).items():
            assert _request(client, name, url).status_code == 404, name


def test_the_familys_own_parents_reach_the_released_videos(world):
    for parent in (world.mother_a, world.partner_a):
        client = parent_client(parent)
        for video in (world.s1, world.local_a):
            urls = _urls(video.pk)
            assert client.get(urls["video"]).status_code == 200
            assert client.get(urls["video_file"]).status_code == 200
            assert client.get(urls["video_captions"]).status_code == 200
            assert _request(client, "video_progress", urls["video_progress"]).status_code == 200
    assert VideoWatch.objects.filter(family=world.cast.family_a).count() == 4


def test_a_withdrawn_family_loses_the_portal(world):
    client = parent_client(world.mother_a)
    Enrolment.objects.filter(family=world.cast.family_a).update(
        status="withdrawn", withdrawal_reason="Moved away"
    )
    assert client.get(reverse("portal:video", args=[world.s1.pk])).status_code == 404
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200 and b"Send me a sign-in code" in response.content


def test_changing_a_parents_email_ends_their_portal_session(world):
    client = parent_client(world.mother_a)
    assert client.get(reverse("portal:video", args=[world.s1.pk])).status_code == 200
    world.mother_a.email = "someone.else@example.test"
    world.mother_a.save()
    assert client.get(reverse("portal:video", args=[world.s1.pk])).status_code == 404


def test_a_parent_never_reaches_staff_pages(world):
    client = parent_client(world.mother_a)
    for url in (
        reverse("home:index"),
        reverse("families:detail", args=[world.cast.family_a.pk]),
        reverse("prep:family", args=[world.cast.family_a.pk]),
        reverse("videos:list"),
        reverse("videos:version_file", args=[world.s1.pk, world.s1.current_version_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/sign-in/"), url
    assert client.get("/api/v1/families").status_code == 401
