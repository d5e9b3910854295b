"""Questionnaires in the portal go through the measures app's own service: stored with
mode "portal", scored, alerts raised, urgent help shown at once."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from babysteps.alerts.models import Alert
from babysteps.measures.models import Administration, Instrument
from babysteps.portal.questionnaires import timepoint_due
from tests.videos.fixtures import parent_client, pin

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 1, 1, tzinfo=timezone.get_current_timezone())


@pytest.mark.parametrize(
    ("days", "expected"),
    [(-5, "pre"), (20, "pre"), (22, None), (36, "mid"), (45, None), (61, "post")],
)
def test_timepoint_due(days, expected):
    # S1 on day 0, weekly to S6 on day 35; S7 on day 42, S9 on day 56 (start + weeks).
    starts = {f"S{n}": T0 + timedelta(weeks=n - 1) for n in range(1, 7)}
    starts |= {"S7": T0 + timedelta(days=42), "S9": T0 + timedelta(days=56)}
    assert timepoint_due(starts=starts, now=T0 + timedelta(days=days)) == expected


def _answers(instrument: Instrument, value: int = 0) -> dict[str, str]:
    return {f"item_{item.number}": str(value) for item in instrument.spec.items}


def test_a_parent_answers_a_due_questionnaire_once(world):
    client = parent_client(world.mother_a)
    page = client.get(reverse("portal:questionnaires")).content.decode()
    phq9 = Instrument.objects.get(code="phq9")
    assert phq9.name in page and "To do" in page
    url = reverse("portal:questionnaire", args=["phq9"])
    assert client.get(url).status_code == 200
    response = client.post(url, _answers(phq9), follow=True)
    done_url = reverse("portal:questionnaire_done", args=["phq9"])
    assert response.redirect_chain == [(done_url, 302)]
    assert response.status_code == 200 and b"Thank you" in response.content
    assert b"help is there now" not in response.content
    # Reloading the thank-you page shows it again (it used to be "Page not found").
    again = client.get(done_url)
    assert again.status_code == 200 and b"Thank you" in again.content
    # Another parent's browser, or none answered here, goes back to the list.
    assert parent_client(world.partner_a).get(done_url).status_code == 302
    administration = Administration.objects.get(parent=world.mother_a)
    assert administration.mode == "portal" and administration.timepoint == "pre"
    assert administration.recorded_by is None
    assert "Done, thank you" in client.get(reverse("portal:questionnaires")).content.decode()
    assert client.get(url).status_code == 404  # not twice


def test_a_safety_item_shows_urgent_help_at_once_and_raises_an_alert(world):
    phq9 = Instrument.objects.get(code="phq9")
    answers = _answers(phq9)
    safety = phq9.spec.safety_items[0].item
    answers[f"item_{safety}"] = "2"
    client = parent_client(world.mother_a)
    response = client.post(reverse("portal:questionnaire", args=["phq9"]), answers, follow=True)
    assert b"If you are struggling, help is there now" in response.content
    # ... and again on a reload.
    reload = client.get(reverse("portal:questionnaire_done", args=["phq9"]))
    assert b"If you are struggling, help is there now" in reload.content
    assert b"116 123" in response.content
    assert Alert.objects.filter(administration__parent=world.mother_a).exists()


def test_missing_answers_are_shown_and_nothing_is_saved(world):
    phq9 = Instrument.objects.get(code="phq9")
    answers = _answers(phq9)
    answers.pop("item_3")
    response = parent_client(world.mother_a).post(
        reverse("portal:questionnaire", args=["phq9"]), answers
    )
    assert b"There is a problem" in response.content and b"item 3" in response.content
    assert not Administration.objects.exists()


def test_nothing_is_due_between_time_points(world):
    now = timezone.now()
    for code, days in (("S1", -30), ("S4", -1), ("S6", 5)):
        pin(world.cast.cohort_a, code, now + timedelta(days=days))
    client = parent_client(world.mother_a)
    assert "nothing to fill in" in client.get(reverse("portal:questionnaires")).content.decode()
    assert client.get(reverse("portal:questionnaire", args=["phq9"])).status_code == 404


def test_questionnaires_are_for_signed_in_parents_only(world, client_for):
    url = reverse("portal:questionnaire", args=["phq9"])
    from django.test import Client

    assert Client().get(url).status_code == 404
    assert client_for(world.cast.midwife_a).get(url).status_code == 404
    response = Client().get(reverse("portal:questionnaires"))
    assert response.status_code == 302 and response["Location"].startswith("/portal/")


def test_home_points_to_questionnaires_to_fill_in(world):
    client = parent_client(world.mother_a)
    assert "short questionnaires to fill in" in client.get(reverse("portal:home")).content.decode()


def test_the_epds_without_its_wording_is_not_offered_and_the_page_says_why(world, settings):
    settings.PORTAL_QUESTIONNAIRES = ["epds", "phq9"]  # asked for, but not loaded
    page = parent_client(world.mother_a).get(reverse("portal:questionnaires")).content.decode()
    epds = Instrument.objects.get(code="epds")
    assert not epds.has_full_wording
    listed = page.split("Questionnaires your practitioner asks you")
    assert len(listed) == 2 and epds.name in listed[1] and epds.name not in listed[0]
    assert reverse("portal:questionnaire", args=["epds"]) not in page
    assert (
        parent_client(world.mother_a)
        .get(reverse("portal:questionnaire", args=["epds"]))
        .status_code
        == 404
    )
