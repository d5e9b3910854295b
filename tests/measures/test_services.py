"""Recording questionnaires: item-level answers and derived scores are stored, bad input
stores nothing, the portal uses the same service, and re-scoring follows a correction."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from babysteps.alerts.models import Alert
from babysteps.audit.models import AuditEvent
from babysteps.measures.catalogue import shipped_definitions
from babysteps.measures.models import Administration, Instrument
from babysteps.measures.portal import portal_submit, urgent_help_context
from babysteps.measures.services import (
    administrations_rescore,
    instrument_save,
    instrument_wording_load,
)
from tests.factories import today
from tests.measures.helpers import EPDS_ALL_ZERO, epds_positions, record

pytestmark = pytest.mark.django_db


def test_answers_and_scores_are_stored_with_the_scoring_version(cast):
    answers = epds_positions(item_1=2, item_3=1, item_4=3)
    result = record(cast.family_a, cast.midwife_a, answers=answers)
    stored = Administration.objects.get(pk=result.administration.pk)
    assert stored.answers == answers
    assert stored.item_scores == [2, 0, 1, 3, 0, 0, 0, 0, 0, 0]
    assert stored.raw_total == 6 and stored.total == 6
    assert stored.subscales == {"epds3a": 4}
    assert stored.scoring_version == Instrument.objects.get(code="epds").version
    assert stored.cohort == cast.cohort_a and stored.respondent_role == "mother"
    assert stored.recorded_by == cast.midwife_a and stored.mode == "in_person"
    event = AuditEvent.objects.get(object_type="administration", object_id=str(stored.pk))
    assert event.actor == cast.midwife_a and "answers" in event.detail["fields"]
    assert "6" not in str(event.detail)  # names, never values


@pytest.mark.parametrize(
    ("answers", "field"),
    [([0] * 9, "answers"), ([0] * 9 + [7], "item_10"), (["a"] + [0] * 9, "item_1")],
)
def test_bad_answers_store_nothing(cast, answers, field):
    with pytest.raises(ValidationError) as caught:
        record(cast.family_a, cast.midwife_a, answers=answers)
    assert field in caught.value.message_dict
    assert not Administration.objects.exists() and not Alert.objects.exists()
    assert not AuditEvent.objects.filter(object_type="administration").exists()


def test_every_problem_is_reported_at_once(cast):
    with pytest.raises(ValidationError) as caught:
        record(
            cast.family_a,
            cast.midwife_a,
            answers=[9] + [0] * 9,
            timepoint="later",
            mode="carrier pigeon",
            administered_on=today() + timedelta(days=1),
        )
    assert {"item_1", "timepoint", "mode", "administered_on"} <= set(caught.value.message_dict)


def test_a_time_point_is_recorded_once_per_parent_and_instrument(cast):
    record(cast.family_a, cast.midwife_a)
    with pytest.raises(ValidationError) as caught:
        record(cast.family_a, cast.midwife_a)
    assert "timepoint" in caught.value.message_dict
    record(cast.family_a, cast.midwife_a, timepoint="post")
    record(cast.family_a, cast.midwife_a, code="gad7")
    assert Administration.objects.count() == 3


def test_a_parent_of_another_family_is_refused(cast):
    instrument = Instrument.objects.get(code="epds")
    from babysteps.measures.services import administration_submit

    with pytest.raises(ValidationError) as caught:
        administration_submit(
            family=cast.family_a,
            parent=cast.family_b.mother,
            instrument=instrument,
            timepoint="pre",
            mode="in_person",
            answers=EPDS_ALL_ZERO,
            recorded_by=cast.midwife_a,
        )
    assert "parent" in caught.value.message_dict


def test_staff_modes_need_a_member_of_staff(cast):
    with pytest.raises(ValidationError) as caught:
        record(cast.family_a, None, mode="phone")
    assert "mode" in caught.value.message_dict


def test_the_portal_uses_the_same_service_and_says_when_to_show_urgent_help(cast):
    instrument = Instrument.objects.get(code="epds")
    calm = portal_submit(
        parent=cast.family_a.mother, instrument=instrument, timepoint="pre", answers=EPDS_ALL_ZERO
    )
    assert not calm.urgent_help and not calm.alerts
    worried = portal_submit(
        parent=cast.family_a.mother,
        instrument=instrument,
        timepoint="post",
        answers=epds_positions(item_10=2),
    )
    assert worried.urgent_help and worried.alerts
    assert worried.administration.mode == "portal" and worried.administration.recorded_by is None
    context = urgent_help_context(worried)
    assert (
        context["urgent_help"] and context["urgent_help_template"] == "measures/_urgent_help.html"
    )
    event = AuditEvent.objects.get(
        object_type="administration", object_id=str(worried.administration.pk)
    )
    assert event.actor is None and event.actor_label == f"parent:{cast.family_a.mother.pk}"


def test_the_urgent_help_include_names_the_routes():
    from django.template.loader import render_to_string

    html = render_to_string("measures/_urgent_help.html")
    for route in ("NHS 111", "GP", "116 123", "999"):
        assert route in html


def test_a_keying_correction_raises_the_version_and_rescoring_follows(cast):
    record(cast.family_a, cast.midwife_a, answers=EPDS_ALL_ZERO)  # total 0
    data = next(d for d in shipped_definitions() if d["code"] == "epds")
    wrong = {**data, "items": [{**i, "keying": "forward"} for i in data["items"]]}
    instrument = instrument_save(data=wrong, changed_by=cast.admin)
    assert instrument.version == 2
    assert Administration.objects.get().scoring_version == 1
    result = administrations_rescore(instrument=instrument, changed_by=cast.admin)
    stored = Administration.objects.get()
    assert result.changed == 1 and stored.scoring_version == 2
    assert stored.total == 21 and stored.answers == EPDS_ALL_ZERO  # answers untouched
    # The mis-keyed total is in the highest band and item 10 now scores 3: alerts raised.
    assert result.alerts == 2
    corrected = instrument_save(data=data, changed_by=cast.admin)
    assert corrected.version == 3
    administrations_rescore(instrument=corrected, changed_by=cast.admin)
    assert Administration.objects.get().total == 0
    assert corrected.revisions.count() == 3


def test_a_label_change_keeps_the_scoring_version(cast):
    data = next(d for d in shipped_definitions() if d["code"] == "gad7")
    renamed = {**data, "name": "GAD-7 (renamed)"}
    assert instrument_save(data=renamed, changed_by=cast.admin).version == 1


def test_an_admin_adds_an_instrument_as_data(cast):
    csi4 = {
        "code": "csi4",
        "name": "Couple Satisfaction Index (4 items)",
        "version": 1,
        "direction": "higher_is_better",
        "licence": "Funk & Rogge 2007; free for research and clinical use.",
        "options": ["0", "1", "2", "3", "4", "5"],
        "items": [
            {"label": "Overall happiness", "options": ["0", "1", "2", "3", "4", "5", "6"]},
            {"label": "Warm and comfortable relationship"},
            {"label": "Rewarding relationship"},
            {"label": "Satisfied with relationship"},
        ],
        "total": {"min": 0, "max": 21},
        "bands": [{"code": "distress", "label": "Relationship distress", "min": 0, "max": 13}],
        "caseness": {"max": 13},
        "reliable_change": {"retest_r": 0.8},
    }
    instrument = instrument_save(data=csi4, changed_by=cast.admin)
    result = record(cast.family_a, cast.midwife_a, code="csi4", answers=[6, 5, 5, 5])
    assert result.administration.total == 21 and instrument.spec.items[0].positions == 7
    with pytest.raises(ValidationError):
        instrument_save(data={**csi4, "total": {"min": 0, "max": 99}}, changed_by=cast.admin)


def test_licensed_wording_is_checked_and_stored(cast):
    items = [{"text": f"Licensed item {n}", "options": ["a", "b", "c", "d"]} for n in range(1, 11)]
    with pytest.raises(ValidationError):
        instrument_wording_load(wording={"epds": {"items": items[:9]}}, changed_by=None)
    instrument_wording_load(
        wording={"epds": {"stem": "Licensed stem", "items": items}}, changed_by=None
    )
    assert Instrument.objects.get(code="epds").has_full_wording


def test_a_portal_page_can_build_the_items_form_and_submit(cast):
    from django.template.loader import render_to_string

    from babysteps.measures.forms import QuestionnaireItemsForm
    from babysteps.measures.selectors import questionnaire_text

    instrument = Instrument.objects.get(code="phq9")
    text = questionnaire_text(instrument=instrument)
    bad = QuestionnaireItemsForm({"item_1": "9"}, text=text)
    assert not bad.is_valid() and "item_1" in bad.errors and "item_9" in bad.errors
    form = QuestionnaireItemsForm(
        {f"item_{n}": "0" for n in range(1, 9)} | {"item_9": "1"}, text=text
    )
    assert form.is_valid()
    result = portal_submit(
        parent=cast.family_a.mother, instrument=instrument, timepoint="pre", answers=form.answers()
    )
    assert result.urgent_help and result.alerts[0].detail.startswith("PHQ-9 item 9")
    html = render_to_string(urgent_help_context(result)["urgent_help_template"])
    assert "Samaritans" in html
