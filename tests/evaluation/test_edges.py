"""Evaluators' edges: the home page says what is available, a suppression or a missing
comparison says its true reason, and a questionnaire with no results is listed."""

import pytest
from django.urls import reverse

from babysteps.evaluation import dose
from tests.evaluation.helpers import attended, completers
from tests.evaluation.test_pages import PAIRS, _client

pytestmark = pytest.mark.django_db


def test_the_evaluators_home_shows_what_the_evaluation_holds(cast):
    home = _client(cast.evaluator).get(reverse("home:index")).content.decode()
    assert "None is available yet" not in home
    assert "EPDS" in home and "None yet" in home  # every questionnaire listed, none yet
    completers(cast, cast.cohort_a, PAIRS)  # six mothers before and after
    home = _client(cast.evaluator).get(reverse("home:index")).content.decode()
    row = home.split("EPDS:")[1].split("</tr>")[0]
    assert f'<td class="num">{len(PAIRS)}</td>' in row
    assert reverse("evaluation:page") in home


def test_small_counts_on_the_home_page_are_suppressed_as_on_the_evaluation_page(cast):
    completers(cast, cast.cohort_a, PAIRS[:3])
    home = _client(cast.evaluator).get(reverse("home:index")).content.decode()
    row = home.split("EPDS:")[1].split("</tr>")[0]
    assert "fewer than 5" in row and '<td class="num">3</td>' not in row


def test_a_one_mode_filter_says_it_is_the_reason_there_is_no_comparison(cast):
    families = completers(cast, cast.cohort_a, PAIRS)
    attended(cast.cohort_a, families, ["group", "group"], by=cast.midwife_a)
    page = _client(cast.evaluator).get(
        reverse("evaluation:page"), {"delivery_mode": dose.FACE_TO_FACE}
    )
    text = page.content.decode()
    assert "EPDS: Edinburgh" in text  # the face-to-face completers are shown
    assert "the delivered-mode filter keeps one mode only" in text
    assert "one of the delivery modes has fewer than" not in text


def test_a_questionnaire_with_no_results_is_listed_with_a_note(cast):
    completers(cast, cast.cohort_a, PAIRS)
    text = _client(cast.evaluator).get(reverse("evaluation:page")).content.decode()
    missing = text.split("Questionnaires with no results here")[1]
    assert "PHQ-9" in missing and "EPDS:" not in missing
