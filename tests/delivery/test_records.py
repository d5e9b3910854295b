"""Records that cannot say what did not happen: a booked call is recorded at its time, in
the mode really used, never before it; a register correction changes only what was
changed and says who changed it; registers open only once their session has started; a
cohort planned during a pause follows the pause."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from babysteps.bookings.models import CallBooking
from babysteps.cohorts.models import PlannedSession
from babysteps.cohorts.services import cohort_create
from babysteps.delivery import prework
from babysteps.delivery.models import Attendance, Contact, Correction, SessionConversion
from babysteps.delivery.services import (
    AttendanceIn,
    contact_record,
    delivery_pause,
    register_record,
)
from tests.bookings.helpers import book, future_day, happened, local, publish
from tests.delivery.test_pages import local_input
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _booking(cast, *, mode="video"):
    day = future_day(3)
    publish(cast.midwife_a, cast.site_a, day)
    return book(cast, at=local(day, time(10)), mode=mode)


def _call_form(cast, **extra):
    values = {
        "mode": "phone",
        "planned_minutes": 30,
        "actual_minutes": 25,
        "facilitators": [cast.midwife_a.pk],
        "mother": "on",
    }
    values.update(extra)
    return values


def test_a_booked_call_cannot_be_recorded_before_its_time(client_for, cast):
    booking = _booking(cast)
    client = client_for(cast.midwife_a)
    url = reverse("delivery:contact_new", args=[cast.family_a.pk]) + f"?booking={booking.pk}"
    page = client.get(url).content.decode()
    assert "This call has not happened yet" in page and '<form method="post"' not in page
    # Posting anyway (an old tab) saves nothing: the service refuses it too.
    client.post(url, _call_form(cast, starts_at=local_input(timezone.now())))
    with pytest.raises(ValidationError) as refused:
        contact_record(
            family=cast.family_a,
            cohort=cast.cohort_a,
            component=booking.component,
            mode="phone",
            starts_at=timezone.now() - timedelta(minutes=5),
            planned_minutes=30,
            actual_minutes=25,
            facilitators=[cast.midwife_a],
            recorded_by=cast.midwife_a,
            attendance=AttendanceIn(mother=True),
            booking=booking,
        )
    assert "booked for" in refused.value.message_dict["booking"][0]
    assert not Contact.objects.exists()
    booking.refresh_from_db()
    assert booking.status == CallBooking.Status.BOOKED
    detail = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert "Record the call" not in detail and "once its time has come" in detail


def test_recording_a_booked_call_defaults_to_its_time_and_keeps_the_mode_used(client_for, cast):
    booking = _booking(cast, mode="video")
    booked_at = happened(booking, ago=timedelta(hours=2))
    client = client_for(cast.midwife_a)
    url = reverse("delivery:contact_new", args=[cast.family_a.pk]) + f"?booking={booking.pk}"
    form = client.get(url).context["form"]
    assert form.initial["starts_at"] == timezone.localtime(booked_at)
    assert form.initial["mode"] == "video"
    # The video call became a phone call: both are offered, the phone call is recorded.
    assert {"phone", "video"} <= {value for value, _label in form.fields["mode"].choices}
    response = client.post(url, _call_form(cast, starts_at=local_input(booked_at)))
    assert response.status_code == 302
    contact = Contact.objects.get(booking=booking)
    assert contact.mode == "phone"
    assert abs(contact.starts_at - booked_at) < timedelta(minutes=1)
    booking.refresh_from_db()
    assert booking.status == CallBooking.Status.COMPLETED


def _register_families(cast, count):
    return [cast.family_a] + [
        EnrolmentFactory(family__site=cast.site_a, cohort=cast.cohort_a).family
        for _i in range(count - 1)
    ]


def test_a_register_correction_changes_only_what_was_changed(cast, plan):
    families = _register_families(cast, 4)
    session = plan["S1"]
    everyone = {f.pk: AttendanceIn(mother=True) for f in families}
    register_record(
        session=session,
        starts_at=session.starts_at,
        planned_minutes=120,
        actual_minutes=115,
        facilitators=[cast.midwife_a],
        recorded_by=cast.midwife_a,
        attendance=everyone,
    )
    contact = Contact.objects.get(planned_session=session)
    before = {a.family_id: a for a in Attendance.objects.filter(contact=contact)}
    assert {a.watched_videos_beforehand for a in before.values()} == {None}

    # A source that would now say "no" for everyone (videos that exist today)...
    def says_no(*, family, component, before):
        return False

    prework.register_prework_source(says_no)
    try:
        # ... and the facilitator unticks one family: only that row changes.
        corrected = dict(everyone)
        del corrected[families[1].pk]
        register_record(
            session=session,
            starts_at=session.starts_at,
            planned_minutes=120,
            actual_minutes=115,
            facilitators=[cast.midwife_a],
            recorded_by=cast.support_a,
            attendance=corrected,
        )
    finally:
        prework.unregister_prework_source(says_no)
    after = {a.family_id: a for a in Attendance.objects.filter(contact=contact)}
    assert after[families[1].pk].present is False
    for family in (families[0], families[2], families[3]):
        row = after[family.pk]
        assert (row.pk, row.present, row.watched_videos_beforehand) == (
            before[family.pk].pk,
            True,
            None,
        )
    correction = Correction.objects.get(contact=contact)
    assert correction.corrected_by == cast.support_a
    assert (correction.fields, correction.family_ids) == (["attendance"], [families[1].pk])
    contact.refresh_from_db()
    assert contact.corrected_by == cast.support_a and contact.recorded_by == cast.midwife_a

    # Saving it again unchanged is refused, and leaves no second correction.
    with pytest.raises(ValidationError, match="Nothing was changed"):
        register_record(
            session=session,
            starts_at=session.starts_at,
            planned_minutes=120,
            actual_minutes=115,
            facilitators=[cast.midwife_a],
            recorded_by=cast.support_a,
            attendance=corrected,
        )
    assert Correction.objects.count() == 1


def test_the_session_page_shows_who_corrected_what_and_when(client_for, cast, plan):
    session = plan["S1"]
    second = _register_families(cast, 2)[1]
    values = {
        "session": session,
        "starts_at": session.starts_at,
        "planned_minutes": 120,
        "facilitators": [cast.midwife_a],
        "recorded_by": cast.midwife_a,
        "attendance": {cast.family_a.pk: AttendanceIn(mother=True)},
    }
    contact = register_record(actual_minutes=115, **values)
    register_record(
        actual_minutes=100,
        **{
            **values,
            "attendance": {second.pk: AttendanceIn(mother=True)},
            "recorded_by": cast.support_a,
        },
    )
    page = client_for(cast.midwife_a).get(reverse("delivery:contact", args=[contact.pk]))
    text = page.content.decode()
    assert "Corrections" in text and cast.support_a.full_name in text
    assert "actual length, who took part" in text
    assert cast.family_a.display_name in text and second.display_name in text


def test_present_needs_someone_attending(cast, plan):
    session = plan["S1"]
    with pytest.raises(ValidationError, match="say who came"):
        register_record(
            session=session,
            starts_at=session.starts_at,
            planned_minutes=120,
            actual_minutes=115,
            facilitators=[cast.midwife_a],
            recorded_by=cast.midwife_a,
            attendance={cast.family_a.pk: AttendanceIn(present=True)},
        )
    assert not Contact.objects.exists()


def test_a_register_opens_only_once_its_session_has_started(client_for, cast, plan):
    session = plan["S2"]
    assert session.starts_at > timezone.now()
    client = client_for(cast.midwife_a)
    url = reverse("delivery:register", args=[cast.cohort_a.pk, session.pk])
    page = client.get(url).content.decode()
    assert "This session has not started yet" in page and 'name="starts_at"' not in page
    cohort_page = client.get(reverse("cohorts:detail", args=[cast.cohort_a.pk])).content.decode()
    assert url not in cohort_page and "Register opens when the session starts" in cohort_page
    with pytest.raises(ValidationError, match="has not started yet"):
        register_record(
            session=session,
            starts_at=timezone.now() - timedelta(minutes=30),
            planned_minutes=120,
            actual_minutes=115,
            facilitators=[cast.midwife_a],
            recorded_by=cast.midwife_a,
            attendance={cast.family_a.pk: AttendanceIn(mother=True)},
        )
    assert not Contact.objects.exists()
    # The session that has started opens.
    started = reverse("delivery:register", args=[cast.cohort_a.pk, plan["S1"].pk])
    assert 'name="starts_at"' in client.get(started).content.decode()


def test_a_cohort_planned_during_a_pause_follows_it_at_once(cast):
    today = timezone.localdate()
    delivery_pause(
        site=cast.site_a,
        from_date=today,
        reason="Lockdown",
        mode="phone",
        prework=False,
        changed_by=cast.manager_a,
        notify=False,
    )
    start = today + timedelta(days=21)
    cohort = cohort_create(
        site=cast.site_a,
        created_by=cast.manager_a,
        name="Planned during the pause",
        start_date=start,
        due_date_from=start + timedelta(days=63),
        due_date_to=start + timedelta(days=110),
        capacity=8,
    )
    groups = PlannedSession.objects.filter(cohort=cohort, component__kind="group_session")
    assert groups.exists()
    converted = SessionConversion.objects.filter(
        planned_session__cohort=cohort, ended_at__isnull=True
    )
    assert converted.count() == groups.count()
