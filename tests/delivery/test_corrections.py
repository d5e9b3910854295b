"""Correcting a one-family contact: lengths, who took part, key messages and notes, with
the audit naming the fields; bad corrections change nothing; group sessions go through
their register."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from babysteps.audit.models import AuditEvent
from babysteps.delivery.models import Contact, FollowUpTask
from babysteps.delivery.services import AttendanceIn, contact_correct
from babysteps.programme.models import Component
from tests.delivery.test_contacts import record

pytestmark = pytest.mark.django_db


def _correct(contact, by, **changes):
    values = {
        "contact": contact,
        "corrected_by": by,
        "planned_minutes": contact.planned_minutes,
        "actual_minutes": contact.actual_minutes,
        "attendance": AttendanceIn(mother=True, partner=True),
        "key_messages": list(contact.key_messages.all()),
        "notes": contact.notes,
    }
    values.update(changes)
    return contact_correct(**values)


def test_a_correction_changes_the_fields_and_audits_their_names_only(cast):
    contact = record(cast, notes="First note")
    hv1 = Component.objects.get(code="HV1")
    changed = _correct(
        contact,
        cast.support_a,
        planned_minutes=90,
        attendance=AttendanceIn(mother=True, partner=False, baby=True),
        key_messages=list(hv1.key_messages.all()[:1]),
        notes="A clearer note",
    )
    assert changed == ["planned_minutes", "notes", "key_messages", "attendance"]
    contact.refresh_from_db()
    assert (contact.planned_minutes, contact.notes) == (90, "A clearer note")
    assert contact.corrected_by == cast.support_a and contact.corrected_at is not None
    row = contact.attendances.get()
    assert (row.mother, row.partner, row.baby) == (True, False, True)
    event = AuditEvent.objects.get(
        object_type="contact", object_id=str(contact.pk), action="change"
    )
    assert event.detail["fields"] == changed and event.family_id == cast.family_a.pk
    assert "clearer" not in str(event.detail)


def test_bad_corrections_are_field_errors_and_change_nothing(cast):
    contact = record(cast, notes="Kept")
    s1 = Component.objects.get(code="S1")
    bad = [
        ({"notes": "Changed", "actual_minutes": 0}, "actual_minutes"),
        ({"notes": "Changed", "planned_minutes": 481}, "planned_minutes"),
        ({"notes": "Changed", "attendance": AttendanceIn(baby=True)}, "attendance"),
        ({"notes": "Changed", "key_messages": list(s1.key_messages.all()[:1])}, "key_messages"),
        ({}, "contact"),  # nothing changed
    ]
    for changes, field in bad:
        with pytest.raises(ValidationError) as error:
            _correct(contact, cast.midwife_a, **changes)
        assert field in error.value.message_dict
    contact.refresh_from_db()
    assert contact.notes == "Kept" and contact.corrected_at is None
    assert not AuditEvent.objects.filter(object_type="contact", action="change").exists()


def test_a_visit_corrected_to_shortened_gets_its_follow_up_once(cast):
    contact = record(cast)  # 60 of 60 minutes: no follow-up
    assert not FollowUpTask.objects.filter(visit=contact).exists()
    _correct(contact, cast.midwife_a, actual_minutes=30)
    task = FollowUpTask.objects.get(visit=contact)
    assert task.assigned_to == cast.support_a
    _correct(contact, cast.midwife_a, actual_minutes=25)
    assert FollowUpTask.objects.filter(visit=contact).count() == 1


def test_the_page_corrects_and_shows_who_corrected(cast, client_for):
    contact = record(cast)
    client = client_for(cast.midwife_a)
    detail = reverse("delivery:contact", args=[contact.pk])
    url = reverse("delivery:contact_correct", args=[contact.pk])
    assert url in client.get(detail).content.decode()
    form = client.get(url)
    assert form.status_code == 200 and form.context["form"]["actual_minutes"].value() == 60
    bad = client.post(url, {"planned_minutes": 60, "actual_minutes": 999, "mother": "on"})
    assert bad.status_code == 422 and "actual_minutes" in bad.context["form"].errors
    response = client.post(
        url, {"planned_minutes": 60, "actual_minutes": 45, "mother": "on", "notes": "Fixed"}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.actual_minutes == 45 and contact.notes == "Fixed"
    assert "Corrected" in client.get(detail).content.decode()


def test_a_group_session_is_corrected_through_its_register(cast, client_for):
    from babysteps.cohorts.models import PlannedSession
    from babysteps.cohorts.services import cohort_schedule_generate
    from babysteps.delivery.services import register_record
    from tests.delivery.test_contacts import ago

    cohort_schedule_generate(cohort=cast.cohort_a)
    session = PlannedSession.objects.get(cohort=cast.cohort_a, component__code="S1")
    PlannedSession.objects.filter(pk=session.pk).update(starts_at=ago(hours=2))
    session.refresh_from_db()
    contact = register_record(
        session=session,
        starts_at=ago(hours=1),
        planned_minutes=120,
        actual_minutes=120,
        facilitators=[cast.midwife_a, cast.support_a],
        recorded_by=cast.midwife_a,
        attendance={cast.family_a.pk: AttendanceIn(mother=True)},
    )
    response = client_for(cast.midwife_a).get(
        reverse("delivery:contact_correct", args=[contact.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("delivery:register", args=[cast.cohort_a.pk, session.pk])
    with pytest.raises(ValidationError):
        _correct(Contact.objects.get(pk=contact.pk), cast.midwife_a, notes="x")
