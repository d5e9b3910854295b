"""The questionnaire pages: item by item, field errors for bad answers, nothing stored."""

import pytest
from django.test import Client
from django.urls import reverse

from babysteps.measures.models import Administration, Instrument
from babysteps.measures.services import instrument_wording_load
from tests.factories import today
from tests.measures.helpers import EPDS_ALL_ZERO

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(family, code="epds") -> str:
    return reverse("measures:create", args=[family.pk]) + f"?instrument={code}"


def _form(family, answers, **extra) -> dict:
    data = {
        "parent": str(family.mother.pk),
        "timepoint": "pre",
        "mode": "in_person",
        "administered_on": today().isoformat(),
    }
    data.update({f"item_{n}": str(a) for n, a in enumerate(answers, start=1) if a is not None})
    data.update(extra)
    return data


def test_the_chooser_lists_the_instruments(cast):
    page = _client(cast.midwife_a).get(reverse("measures:create", args=[cast.family_a.pk]))
    text = page.content.decode()
    for code in ("EPDS", "PHQ-9", "GAD-7", "WEMWBS", "SWEMWBS"):
        assert code in text


def test_a_facilitator_records_an_epds_item_by_item(cast):
    client = _client(cast.midwife_a)
    page = client.get(_url(cast.family_a)).content.decode()
    assert page.count('type="radio"') == 10 * 4 + 2  # items, plus in person / phone
    assert "short labels are shown" in page  # no licensed wording loaded
    response = client.post(_url(cast.family_a), _form(cast.family_a, EPDS_ALL_ZERO))
    administration = Administration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:detail", args=[administration.pk])
    assert administration.recorded_by == cast.midwife_a and administration.total == 0
    detail = client.get(response["Location"]).content.decode()
    assert "Scoring version" in detail
    family_page = client.get(reverse("families:detail", args=[cast.family_a.pk])).content.decode()
    assert reverse("measures:detail", args=[administration.pk]) in family_page


@pytest.mark.parametrize(
    ("answers", "extra", "message"),
    [
        ([0] * 9 + [None], {}, "Choose an answer for item 10."),
        ([0] * 9 + [7], {}, "Choose one of the options for item 10."),
        (["x"] + [0] * 9, {}, "Choose one of the options for item 1."),
        (EPDS_ALL_ZERO, {"administered_on": "2999-01-01"}, "The date cannot be in the future."),
        (EPDS_ALL_ZERO, {"mode": "portal"}, "Select a valid choice."),
    ],
)
def test_bad_answers_give_field_errors_and_store_nothing(cast, answers, extra, message):
    response = _client(cast.midwife_a).post(
        _url(cast.family_a), _form(cast.family_a, answers, **extra)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Administration.objects.exists()


def test_a_second_pre_is_a_field_error(cast):
    client = _client(cast.midwife_a)
    client.post(_url(cast.family_a), _form(cast.family_a, EPDS_ALL_ZERO))
    response = client.post(_url(cast.family_a), _form(cast.family_a, EPDS_ALL_ZERO))
    assert "already recorded for this parent" in response.content.decode()
    assert Administration.objects.count() == 1


def test_public_domain_and_licensed_wording_is_shown_when_present(cast):
    client = _client(cast.midwife_a)
    phq9 = client.get(_url(cast.family_a, "phq9")).content.decode()
    assert "Little interest or pleasure in doing things" in phq9 and "short labels" not in phq9
    items = [
        {"text": f"Licensed wording {n}", "options": ["w", "x", "y", "z"]} for n in range(1, 11)
    ]
    instrument_wording_load(wording={"epds": {"items": items}}, changed_by=None)
    epds = client.get(_url(cast.family_a)).content.decode()
    assert "Licensed wording 10" in epds and "short labels are shown" not in epds
    assert Instrument.objects.get(code="epds").has_full_wording


def test_another_sites_family_is_not_found(cast):
    assert _client(cast.midwife_a).get(_url(cast.family_b)).status_code == 404
    assert (
        _client(cast.midwife_a)
        .post(_url(cast.family_b), _form(cast.family_b, EPDS_ALL_ZERO))
        .status_code
        == 404
    )
    assert not Administration.objects.exists()
