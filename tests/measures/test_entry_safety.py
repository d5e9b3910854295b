"""Questionnaire entry that cannot mislead: options named by position and score without
the licensed wording, a confirmation before a safety answer raises an alert, voiding a
questionnaire entered in error, and results in plain English."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from babysteps.alerts.models import Alert
from babysteps.audit.models import AuditEvent
from babysteps.evaluation.selectors import Filters, dataset
from babysteps.measures.models import Administration, Instrument
from babysteps.measures.selectors import questionnaire_text
from babysteps.measures.services import administration_void
from tests.evaluation.helpers import consent
from tests.measures.helpers import EPDS_ALL_ZERO, epds_positions, record
from tests.measures.test_pages import _client, _form, _url

pytestmark = pytest.mark.django_db


def test_without_the_wording_each_option_says_its_printed_place_and_score():
    text = questionnaire_text(instrument=Instrument.objects.get(code="epds"))
    # Item 1 is scored forwards, item 10 in reverse: its first printed option scores 3.
    assert text.items[0].options[0] == "1st option printed - scores 0"
    assert text.items[9].options == (
        "1st option printed - scores 3",
        "2nd option printed - scores 2",
        "3rd option printed - scores 1",
        "4th option printed - scores 0",
    )
    assert not any("First option" in o for item in text.items for o in item.options)


def test_a_safety_answer_is_confirmed_before_it_is_saved(cast):
    client = _client(cast.midwife_a)
    answers = list(EPDS_ALL_ZERO)
    answers[9] = 0  # item 10, first printed option: the worst answer
    first = client.post(_url(cast.family_a), _form(cast.family_a, answers))
    page = first.content.decode()
    assert first.status_code == 200 and not Administration.objects.exists()
    assert not Alert.objects.exists()
    assert "Check before saving: this raises a safety alert" in page
    assert "1st option printed - scores 3" in page and 'name="confirm_safety"' in page
    confirmed = client.post(_url(cast.family_a), _form(cast.family_a, answers, confirm_safety="on"))
    assert confirmed.status_code == 302
    administration = Administration.objects.get()
    assert (
        administration.safety_flag and Alert.objects.filter(administration=administration).exists()
    )


def test_answers_without_a_safety_answer_need_no_confirmation(cast):
    response = _client(cast.midwife_a).post(
        _url(cast.family_a), _form(cast.family_a, EPDS_ALL_ZERO)
    )
    assert response.status_code == 302 and Administration.objects.count() == 1


def test_a_questionnaire_entered_in_error_is_voided_not_deleted(cast):
    consent(cast.family_a, True, cast.midwife_a)
    result = record(cast.family_a, cast.midwife_a, answers=epds_positions(item_10=3))
    administration = result.administration
    alert = Alert.objects.get(administration=administration)
    assert dataset(filters=Filters(), site_ids=None).instrument.size == 1

    with pytest.raises(ValidationError):
        administration_void(administration=administration, voided_by=cast.midwife_a, reason="oops")
    client = _client(cast.midwife_a)
    url = reverse("measures:void", args=[administration.pk])
    assert "Its safety alert is closed" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Item 10 mis-clicked: the mother said never."})
    assert response.status_code == 302

    administration.refresh_from_db()
    assert administration.voided_by == cast.midwife_a and administration.voided_at
    assert administration.void_reason == "Item 10 mis-clicked: the mother said never."
    alert.refresh_from_db()
    assert alert.entered_in_error and not alert.is_open
    assert alert.action_taken == "Entered in error: Item 10 mis-clicked: the mother said never."
    assert Alert.objects.count() == 1  # closed, never deleted
    assert AuditEvent.objects.filter(
        object_type="administration", object_id=str(administration.pk), action="change"
    ).exists()
    # It leaves the evaluation, and the time point can be recorded again.
    assert dataset(filters=Filters(), site_ids=None).instrument.size == 0
    again = record(cast.family_a, cast.midwife_a)
    assert again.administration.pk != administration.pk
    page = client.get(reverse("measures:detail", args=[administration.pk])).content.decode()
    assert "Entered in error" in page and "Void this questionnaire" not in page
    # A second void is refused.
    with pytest.raises(ValidationError, match="already been voided"):
        administration_void(
            administration=administration, voided_by=cast.midwife_a, reason="Twice over now."
        )


def test_only_the_familys_site_staff_void(cast):
    administration = record(cast.family_a, cast.midwife_a).administration
    url = reverse("measures:void", args=[administration.pk])
    assert _client(cast.facilitator_b).get(url).status_code == 404
    assert _client(cast.admin).get(url).status_code == 403
    administration.refresh_from_db()
    assert administration.voided_at is None


def test_the_result_page_uses_names_not_codes(cast):
    administration = record(
        cast.family_a,
        cast.midwife_a,
        answers=epds_positions(
            item_1=2, item_2=2, item_3=2, item_4=2, item_5=2, item_6=2, item_7=2, item_8=2
        ),
    ).administration
    assert administration.band and administration.subscales
    page = _client(cast.midwife_a).get(reverse("measures:detail", args=[administration.pk]))
    text = page.content.decode()
    spec = administration.instrument.spec
    band = next(b for b in spec.bands if b.code == administration.band)
    assert band.label in text and f">{administration.band}<" not in text
    for subscale in spec.subscales:
        assert subscale.name in text and f">{subscale.code}<" not in text
    assert "Position" not in text
