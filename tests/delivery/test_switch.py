"""The remote-delivery switch: pausing turns future group sessions into per-family calls
with video pre-work and tells people; resuming turns the rest back; the past never moves."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from babysteps.audit.models import AuditEvent
from babysteps.bookings.models import CallBooking, PlannedCall
from babysteps.cohorts.models import Enrolment, PlannedSession
from babysteps.cohorts.services import cohort_schedule_generate
from babysteps.delivery.models import Contact, DeliverySwitch, SessionConversion
from babysteps.delivery.services import (
    AttendanceIn,
    cohort_governing,
    contact_record,
    delivery_pause,
    delivery_resume,
    delivery_switch_preview,
    delivery_sync_all,
)
from babysteps.notifications.models import Message
from tests.bookings.helpers import book, local, publish
from tests.factories import EnrolmentFactory, today

pytestmark = pytest.mark.django_db


def pause(cast, **extra):
    values = {
        "site": cast.site_a,
        "cohort": cast.cohort_a,
        "from_date": today(),
        "reason": "national lockdown",
        "mode": "phone",
        "changed_by": cast.manager_a,
    }
    values.update(extra)
    return delivery_pause(**values)


def future_group_sessions(plan):
    return [
        s for s in plan.values() if s.component.is_group_session and s.starts_at > timezone.now()
    ]


def test_pausing_makes_each_future_group_session_a_call_for_every_family(cast, plan):
    EnrolmentFactory(family__site=cast.site_a, cohort=cast.cohort_a)
    switch = pause(cast)
    ahead = future_group_sessions(plan)
    assert len(ahead) == 8  # S2-S9; S1 is past
    assert switch.sessions_changed == 8 and switch.calls_created == 16
    calls = PlannedCall.objects.filter(cohort=cast.cohort_a, reason="remote")
    assert calls.count() == 16
    assert set(calls.values_list("status", "mode", "prework").distinct()) == {
        ("open", "phone", True)
    }
    assert not calls.filter(planned_session=plan["S1"]).exists()  # the past is left alone
    assert not calls.filter(component__kind="home_visit").exists()  # home visits continue
    assert SessionConversion.objects.filter(ended_at__isnull=True).count() == 8


def test_pausing_tells_families_and_facilitators_without_family_details_to_staff(cast, plan):
    switch = pause(cast)
    parents = Message.objects.filter(group=f"switch:{switch.pk}", parent__isnull=False)
    assert parents.count() == 1 and "phone call" in parents.get().body
    assert "national lockdown" not in parents.get().body  # the reason stays with staff
    staff = Message.objects.filter(group=f"switch:{switch.pk}", user__isnull=False)
    assert set(staff.values_list("user", flat=True)) == {cast.midwife_a.pk, cast.support_a.pk}
    for message in staff:
        assert cast.family_a.mother.given_name not in message.body
        assert f"/cohorts/{cast.cohort_a.pk}/" in message.body


def test_the_switch_is_recorded_and_audited(cast, plan):
    switch = pause(cast)
    assert (switch.created_by, switch.reason, switch.action) == (
        cast.manager_a,
        "national lockdown",
        "pause",
    )
    event = AuditEvent.objects.get(object_type="deliveryswitch", object_id=str(switch.pk))
    assert event.actor == cast.manager_a and event.site_id == cast.site_a.pk


def test_resuming_turns_the_remaining_sessions_back_and_keeps_the_past(cast, plan):
    pause(cast)
    s2 = plan["S2"]
    call = PlannedCall.objects.get(planned_session=s2, family=cast.family_a)
    # S2's call happened (recorded a little while ago).
    contact = contact_record(
        family=cast.family_a,
        cohort=cast.cohort_a,
        component=s2.component,
        mode="phone",
        starts_at=timezone.now() - timedelta(minutes=30),
        planned_minutes=45,
        actual_minutes=50,
        facilitators=[cast.midwife_a],
        recorded_by=cast.midwife_a,
        attendance=AttendanceIn(mother=True, partner=True),
        planned_call=call,
    )
    call.refresh_from_db()
    assert call.status == "done"
    before = (contact.starts_at, contact.actual_minutes, contact.mode)
    switch = delivery_resume(
        site=cast.site_a,
        cohort=cast.cohort_a,
        from_date=today(),
        reason="restrictions lifted",
        changed_by=cast.manager_a,
    )
    assert switch.sessions_changed == 8
    assert not SessionConversion.objects.filter(ended_at__isnull=True).exists()
    live = PlannedCall.objects.filter(reason="remote").exclude(status="withdrawn")
    assert list(live) == [call]  # the call that happened stays done
    contact.refresh_from_db()
    assert (contact.starts_at, contact.actual_minutes, contact.mode) == before
    assert Contact.objects.count() == 1


def test_resuming_cancels_booked_calls_still_ahead_and_tells_the_parents(cast, plan):
    pause(cast)
    s3 = plan["S3"]
    day = timezone.localtime(s3.starts_at).date()
    publish(cast.midwife_a, cast.site_a, day, start=time(10), end=time(12))
    booking = book(cast, at=local(day, time(10)), component=s3.component)
    assert booking.planned_call.planned_session == s3
    switch = delivery_resume(
        site=cast.site_a,
        cohort=cast.cohort_a,
        from_date=today(),
        reason="restrictions lifted",
        changed_by=cast.manager_a,
    )
    booking.refresh_from_db()
    assert booking.status == "cancelled" and switch.bookings_cancelled == 1
    assert booking.planned_call.status == "withdrawn"
    assert Message.objects.filter(key__startswith=f"booking:{booking.pk}:cancelled").exists()
    assert not Message.objects.filter(
        group=booking.message_group, key__startswith="reminder:", status="pending"
    ).exists()


def test_a_resume_from_a_later_date_keeps_earlier_sessions_remote(cast, plan):
    pause(cast)
    s5 = timezone.localtime(plan["S5"].starts_at).date()
    delivery_resume(
        site=cast.site_a,
        cohort=cast.cohort_a,
        from_date=s5,
        reason="restrictions lifted",
        changed_by=cast.manager_a,
    )
    remote = set(
        SessionConversion.objects.filter(ended_at__isnull=True).values_list(
            "planned_session__component__code", flat=True
        )
    )
    assert remote == {"S2", "S3", "S4"}


def test_video_first_changes_the_mode_of_calls_not_yet_booked(cast, plan):
    pause(cast)
    pause(cast, mode="video", reason="videos ready: video-first")
    modes = set(
        PlannedCall.objects.filter(reason="remote", status="open").values_list("mode", flat=True)
    )
    assert modes == {"video"}
    assert DeliverySwitch.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"from_date": today() - timedelta(days=1)}, "from_date"),
        ({"mode": "carrier pigeon"}, "mode"),
    ],
)
def test_bad_switches_are_refused_and_change_nothing(cast, plan, change, field):
    with pytest.raises(ValidationError) as error:
        pause(cast, **change)
    assert field in error.value.message_dict
    assert not DeliverySwitch.objects.exists() and not PlannedCall.objects.exists()


def test_pausing_twice_or_resuming_what_is_not_paused_is_an_error(cast, plan):
    with pytest.raises(ValidationError):
        delivery_resume(
            site=cast.site_a,
            cohort=cast.cohort_a,
            from_date=today(),
            reason="x",
            changed_by=cast.manager_a,
        )
    pause(cast)
    with pytest.raises(ValidationError):
        pause(cast)
    assert DeliverySwitch.objects.count() == 1


def test_a_site_wide_pause_covers_every_cohort_and_later_families(cast, plan):
    cohort_schedule_generate(cohort=cast.cohort_a2)
    delivery_pause(
        site=cast.site_a,
        from_date=today(),
        reason="national lockdown",
        mode="phone",
        changed_by=cast.manager_a,
    )
    assert set(PlannedCall.objects.values_list("cohort", flat=True)) == {
        cast.cohort_a.pk,
        cast.cohort_a2.pk,
    }
    assert not PlannedCall.objects.filter(cohort=cast.cohort_b).exists()
    # A family joins a paused cohort: the periodic sync gives it its calls.
    newcomer = EnrolmentFactory(family__site=cast.site_a, cohort=cast.cohort_a).family
    assert delivery_sync_all(now=timezone.now()) == 8
    assert PlannedCall.objects.filter(family=newcomer).count() == 8
    assert delivery_sync_all(now=timezone.now()) == 0  # idempotent
    # A family withdraws: its calls still to book are withdrawn.
    Enrolment.objects.filter(family=newcomer).update(status="withdrawn", withdrawal_reason="x")
    delivery_sync_all(now=timezone.now())
    assert not PlannedCall.objects.filter(family=newcomer).exclude(status="withdrawn").exists()


def test_the_register_is_refused_for_a_session_delivered_as_calls(cast, plan):
    from babysteps.delivery.services import register_record

    pause(cast)
    with pytest.raises(ValidationError) as error:
        register_record(
            session=plan["S2"],
            starts_at=timezone.now(),
            planned_minutes=120,
            actual_minutes=120,
            facilitators=[cast.midwife_a],
            recorded_by=cast.midwife_a,
            attendance={cast.family_a.pk: AttendanceIn(mother=True)},
        )
    assert "per-family calls" in error.value.message_dict["session"][0]


def test_group_reminders_skip_families_whose_session_is_a_call(cast, plan):
    from babysteps.bookings.reminders import session_reminders_due

    s2 = plan["S2"]
    PlannedSession.objects.filter(pk=s2.pk).update(starts_at=timezone.now() + timedelta(hours=20))
    pause(cast)
    assert session_reminders_due(now=timezone.now()) == 0
    assert CallBooking.objects.count() == 0


def test_coming_up_on_the_facilitator_home_says_a_paused_group_will_not_meet(cast, plan):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(cast.midwife_a)
    assert "Group paused" not in client.get(reverse("home:index")).content.decode()
    pause(cast)
    assert "Group paused: per-family calls" in client.get(reverse("home:index")).content.decode()


def test_the_preview_shows_what_resuming_would_change_and_changes_nothing(cast, plan):
    pause(cast)
    s3 = plan["S3"]
    day = timezone.localtime(s3.starts_at).date()
    publish(cast.midwife_a, cast.site_a, day, start=time(10), end=time(12))
    booking = book(cast, at=local(day, time(10)), component=s3.component)
    switches, messages = DeliverySwitch.objects.count(), Message.objects.count()
    calls = list(PlannedCall.objects.order_by("pk").values_list("pk", "status"))
    preview = delivery_switch_preview(
        action="resume",
        site=cast.site_a,
        cohort=cast.cohort_a,
        from_date=today(),
        reason="restrictions lifted",
        changed_by=cast.manager_a,
    )
    # What it would do...
    assert [(c.family, c.component) for c in preview.cancelled] == [
        (cast.family_a.display_name, "S3")
    ]
    assert preview.families_told == [cast.family_a.display_name]
    assert preview.cohorts == [cast.cohort_a.name]
    assert preview.sessions_changed == len(future_group_sessions(plan))
    # ... and nothing of it done.
    booking.refresh_from_db()
    assert booking.status == CallBooking.Status.BOOKED
    assert (DeliverySwitch.objects.count(), Message.objects.count()) == (switches, messages)
    assert list(PlannedCall.objects.order_by("pk").values_list("pk", "status")) == calls
    assert SessionConversion.objects.filter(ended_at__isnull=True).exists()
    # Confirming does what the preview said.
    switch = delivery_resume(
        site=cast.site_a,
        cohort=cast.cohort_a,
        from_date=today(),
        reason="restrictions lifted",
        changed_by=cast.manager_a,
    )
    assert switch.bookings_cancelled == len(preview.cancelled)
    assert switch.sessions_changed == preview.sessions_changed


def test_the_preview_refuses_what_the_switch_refuses(cast, plan):
    with pytest.raises(ValidationError, match="not paused"):
        delivery_switch_preview(
            action="resume",
            site=cast.site_a,
            cohort=cast.cohort_a,
            from_date=today(),
            reason="nothing to resume",
            changed_by=cast.manager_a,
        )


def test_a_resume_from_a_later_date_reads_paused_until_that_date_everywhere(cast, plan, client_for):
    pause(cast)
    later = timezone.localtime(plan["S5"].starts_at).date()
    delivery_resume(
        site=cast.site_a,
        cohort=cast.cohort_a,
        from_date=later,
        reason="restrictions end",
        changed_by=cast.manager_a,
    )
    state = cohort_governing(cohort=cast.cohort_a, day=today())
    assert state.paused and state.until == later
    until = f"Group sessions paused until {later:%-d %B %Y}"
    client = client_for(cast.manager_a)
    cohort_page = client.get(f"/cohorts/{cast.cohort_a.pk}/").content.decode()
    assert until in cohort_page
    switch_page = client.get(f"/delivery/cohorts/{cast.cohort_a.pk}/switch/").content.decode()
    assert until in switch_page
    # The sessions agree: calls before that date, group sessions from it.
    remote = set(
        SessionConversion.objects.filter(ended_at__isnull=True).values_list(
            "planned_session__component__code", flat=True
        )
    )
    assert {"S2", "S3", "S4"} <= remote and not remote & {"S5", "S6", "S7", "S8", "S9"}


def test_video_first_from_is_the_cohorts_own_first_video_first_session(cast, plan):
    """A site that went video-first in 2020 and resumed in 2021 says nothing about a cohort
    meeting now; the cohort's own switch this year is its date."""
    from datetime import date, datetime

    from babysteps.delivery.selectors import video_first_dates

    lockdown = timezone.make_aware(datetime(2020, 4, 24, 9))
    delivery_pause(
        site=cast.site_a,
        from_date=date(2020, 4, 27),
        reason="video-first",
        mode="video",
        changed_by=cast.manager_a,
        notify=False,
        now=lockdown,
    )
    delivery_resume(
        site=cast.site_a,
        from_date=date(2021, 9, 6),
        reason="restrictions lifted",
        changed_by=cast.manager_a,
        notify=False,
        now=timezone.make_aware(datetime(2021, 9, 1, 9)),
    )
    assert video_first_dates(cohorts=[cast.cohort_a]) == {}
    pause(cast, mode="video", notify=False)
    assert video_first_dates(cohorts=[cast.cohort_a]) == {cast.cohort_a.pk: today()}
