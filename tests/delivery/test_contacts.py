"""Recording delivery: one-family contacts, the group register, prework, and follow-ups
after shortened home visits."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from babysteps.audit.models import AuditEvent
from babysteps.bookings.models import PlannedCall
from babysteps.cohorts.models import Enrolment, PlannedSession
from babysteps.cohorts.services import cohort_schedule_generate
from babysteps.delivery import prework
from babysteps.delivery.models import Attendance, Contact, FollowUpTask
from babysteps.delivery.services import (
    AttendanceIn,
    contact_record,
    follow_up_close,
    register_record,
)
from babysteps.programme.models import Component
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def record(cast, **extra):
    values = {
        "family": cast.family_a,
        "cohort": cast.cohort_a,
        "component": Component.objects.get(code="HV1"),
        "mode": "home_visit",
        "starts_at": ago(hours=2),
        "planned_minutes": 60,
        "actual_minutes": 60,
        "facilitators": [cast.midwife_a, cast.support_a],
        "recorded_by": cast.midwife_a,
        "attendance": AttendanceIn(mother=True, partner=True),
    }
    values.update(extra)
    return contact_record(**values)


def test_a_home_visit_is_recorded_with_everything_the_issue_names(cast):
    hv1 = Component.objects.get(code="HV1")
    contact = record(
        cast,
        key_messages=list(hv1.key_messages.all()[:2]),
        notes="Talked about worries.",
    )
    assert contact.mode == "home_visit" and contact.actual_minutes == 60
    assert set(contact.facilitators.all()) == {cast.midwife_a, cast.support_a}
    assert contact.key_messages.count() == 2
    row = contact.attendances.get()
    assert (row.family, row.mother, row.partner, row.baby) == (cast.family_a, True, True, False)
    assert row.watched_videos_beforehand is None  # nobody knows yet
    assert not FollowUpTask.objects.exists()
    event = AuditEvent.objects.get(object_type="contact", object_id=str(contact.pk))
    assert event.family_id == cast.family_a.pk and "Talked" not in str(event.detail)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"family": "family_b"}, "family"),  # a family outside the cohort
        ({"family": "family_a2"}, "family"),
        ({"starts_at": timezone.now() + timedelta(days=1)}, "starts_at"),
        ({"actual_minutes": 0}, "actual_minutes"),
        ({"planned_minutes": 600}, "planned_minutes"),
        ({"facilitators": []}, "facilitators"),
        ({"facilitators": ["facilitator_b"]}, "facilitators"),
        ({"attendance": AttendanceIn()}, "attendance"),
        ({"mode": "group"}, "mode"),
        ({"component": "S1"}, "mode"),  # a home visit of a group session
    ],
)
def test_bad_contacts_are_refused_and_nothing_is_saved(cast, change, field):
    values = dict(change)
    if isinstance(values.get("family"), str):
        values["family"] = getattr(cast, values["family"])
    if values.get("facilitators") and isinstance(values["facilitators"][0], str):
        values["facilitators"] = [getattr(cast, values["facilitators"][0])]
    if isinstance(values.get("component"), str):
        values["component"] = Component.objects.get(code=values["component"])
    with pytest.raises(ValidationError) as error:
        record(cast, **values)
    assert field in error.value.message_dict
    assert not Contact.objects.exists() and not Attendance.objects.exists()


def test_key_messages_must_belong_to_the_component(cast):
    other = Component.objects.get(code="S1").key_messages.first()
    with pytest.raises(ValidationError) as error:
        record(cast, key_messages=[other])
    assert "key_messages" in error.value.message_dict


def test_a_shortened_home_visit_creates_a_follow_up_for_the_childrens_services_practitioner(cast):
    visit = record(
        cast,
        component=Component.objects.get(code="HV2"),
        planned_minutes=60,
        actual_minutes=25,
        facilitators=[cast.midwife_a],
    )
    task = FollowUpTask.objects.get()
    assert (task.visit, task.family, task.assigned_to, task.reason) == (
        visit,
        cast.family_a,
        cast.support_a,
        "both",
    )
    assert task.due_on > timezone.localdate()
    # The follow-up call, recorded, closes it.
    call = record(
        cast,
        component=Component.objects.get(code="HV2"),
        mode="phone",
        starts_at=ago(minutes=10),
        planned_minutes=20,
        actual_minutes=20,
        facilitators=[cast.support_a],
        recorded_by=cast.support_a,
        follow_up=task,
    )
    task.refresh_from_db()
    assert task.status == "done" and task.done_call == call


def test_a_follow_up_is_closed_only_with_a_reason(cast):
    record(cast, actual_minutes=30)
    task = FollowUpTask.objects.get()
    assert task.reason == "shortened"
    with pytest.raises(ValidationError):
        follow_up_close(task=task, reason=" ", closed_by=cast.support_a)
    follow_up_close(task=task, reason="Family declined a call", closed_by=cast.support_a)
    task.refresh_from_db()
    assert task.status == "closed" and task.closed_by == cast.support_a


def test_the_prework_registry_fills_watched_videos(cast):
    seen = []

    def source(*, family, component, before):
        seen.append((family.pk, component.code))
        return True

    prework.register_prework_source(source)
    try:
        contact = record(
            cast,
            component=Component.objects.get(code="S3"),
            mode="video",
            attendance=AttendanceIn(mother=True, watched_videos_beforehand=False),
        )
    finally:
        prework.unregister_prework_source(source)
    assert seen == [(cast.family_a.pk, "S3")]
    assert contact.attendances.get().watched_videos_beforehand is True


def test_without_a_source_the_facilitators_answer_is_kept(cast):
    contact = record(
        cast,
        component=Component.objects.get(code="S3"),
        mode="phone",
        attendance=AttendanceIn(mother=True, watched_videos_beforehand=False),
    )
    assert contact.attendances.get().watched_videos_beforehand is False


@pytest.fixture
def s1(cast):
    sessions = {s.component.code: s for s in cohort_schedule_generate(cohort=cast.cohort_a)}
    PlannedSession.objects.filter(pk=sessions["S1"].pk).update(starts_at=ago(days=2))
    return PlannedSession.objects.select_related("component", "cohort").get(pk=sessions["S1"].pk)


def test_the_register_marks_every_family_and_offers_absent_ones_a_catch_up(cast, s1):
    second = EnrolmentFactory(family__site=cast.site_a, cohort=cast.cohort_a).family
    contact = register_record(
        session=s1,
        starts_at=s1.starts_at,
        planned_minutes=120,
        actual_minutes=110,
        facilitators=[cast.midwife_a, cast.support_a],
        recorded_by=cast.midwife_a,
        attendance={cast.family_a.pk: AttendanceIn(mother=True, partner=True, baby=False)},
    )
    rows = {a.family_id: a.present for a in contact.attendances.all()}
    assert rows == {cast.family_a.pk: True, second.pk: False}
    catch_up = PlannedCall.objects.get()
    assert (catch_up.family, catch_up.reason, catch_up.component) == (
        second,
        "catch_up",
        s1.component,
    )
    # Correcting the register (the second family came after all) withdraws the offer.
    register_record(
        session=s1,
        starts_at=s1.starts_at,
        planned_minutes=120,
        actual_minutes=110,
        facilitators=[cast.midwife_a, cast.support_a],
        recorded_by=cast.midwife_a,
        attendance={
            cast.family_a.pk: AttendanceIn(mother=True),
            second.pk: AttendanceIn(mother=True),
        },
    )
    assert Contact.objects.count() == 1
    catch_up.refresh_from_db()
    assert catch_up.status == "withdrawn"


def test_the_register_refuses_a_family_outside_the_cohort(cast, s1):
    with pytest.raises(ValidationError) as error:
        register_record(
            session=s1,
            starts_at=s1.starts_at,
            planned_minutes=120,
            actual_minutes=110,
            facilitators=[cast.midwife_a],
            recorded_by=cast.midwife_a,
            attendance={cast.family_b.pk: AttendanceIn(mother=True)},
        )
    assert "attendance" in error.value.message_dict
    assert not Contact.objects.exists()


def test_a_family_that_withdrew_later_is_still_on_earlier_registers(cast, s1):
    Enrolment.objects.filter(pk=cast.enrolment_a.pk).update(
        status="withdrawn", withdrawal_reason="Moved", status_changed_on=timezone.localdate()
    )
    contact = register_record(
        session=s1,
        starts_at=s1.starts_at,
        planned_minutes=120,
        actual_minutes=100,
        facilitators=[cast.midwife_a],
        recorded_by=cast.midwife_a,
        attendance={cast.family_a.pk: AttendanceIn(mother=True)},
    )
    assert contact.attendances.get().family == cast.family_a
