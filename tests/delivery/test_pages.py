"""The delivery pages, as the roles that use them see them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from babysteps.audit.models import AuditEvent
from babysteps.bookings.models import PlannedCall
from babysteps.cohorts.models import PlannedSession
from babysteps.delivery.models import Attendance, Contact, DeliverySwitch, FollowUpTask
from babysteps.delivery.services import AttendanceIn, contact_record, delivery_pause
from babysteps.programme.models import Component
from tests.factories import EnrolmentFactory, today

pytestmark = pytest.mark.django_db


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_facilitator_takes_a_register_for_every_family(client_for, cast, plan):
    second = EnrolmentFactory(family__site=cast.site_a, cohort=cast.cohort_a).family
    s1 = plan["S1"]
    url = reverse("delivery:register", args=[cast.cohort_a.pk, s1.pk])
    client = client_for(cast.midwife_a)
    page = client.get(url).content.decode()
    assert cast.family_a.display_name in page and second.display_name in page
    key = Component.objects.get(code="S1").key_messages.first()
    response = client.post(
        url,
        {
            "starts_at": local_input(s1.starts_at),
            "planned_minutes": 120,
            "actual_minutes": 115,
            "facilitators": [cast.midwife_a.pk, cast.support_a.pk],
            "key_messages": [key.pk],
            f"present_{cast.family_a.pk}": "on",
            f"mother_{cast.family_a.pk}": "on",
            f"partner_{cast.family_a.pk}": "on",
            f"watched_{cast.family_a.pk}": "yes",
            "offer_catch_up": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get(mode="group")
    rows = {a.family_id: a for a in contact.attendances.all()}
    assert rows[cast.family_a.pk].present and rows[cast.family_a.pk].watched_videos_beforehand
    assert not rows[second.pk].present
    assert PlannedCall.objects.get().family == second  # offered a catch-up
    # Each family's record shows it.
    family_page = client.get(reverse("families:detail", args=[second.pk])).content.decode()
    assert "Missed" in family_page and "S1: Our developing baby" in family_page


def test_a_register_with_an_end_before_its_start_is_refused(client_for, cast, plan):
    s1 = plan["S1"]
    response = client_for(cast.midwife_a).post(
        reverse("delivery:register", args=[cast.cohort_a.pk, s1.pk]),
        {
            "starts_at": local_input(s1.starts_at),
            "planned_minutes": 120,
            "actual_minutes": -5,
            "facilitators": [cast.midwife_a.pk],
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Contact.objects.exists()


def test_recording_a_home_visit_from_the_family_page(client_for, cast, plan):
    client = client_for(cast.midwife_a)
    url = reverse("delivery:contact_new", args=[cast.family_a.pk])
    assert "HV2: Postnatal home visit" in client.get(url).content.decode()
    form = client.get(url, {"component": "HV2"})
    assert form.status_code == 200
    response = client.post(
        f"{url}?component=HV2",
        {
            "mode": "home_visit",
            "starts_at": local_input(timezone.now() - timedelta(hours=1)),
            "planned_minutes": 60,
            "actual_minutes": 30,
            "facilitators": [cast.midwife_a.pk],
            "mother": "on",
            "baby": "on",
        },
    )
    assert response.status_code == 302
    task = FollowUpTask.objects.get()
    assert task.assigned_to == cast.support_a
    home = client_for(cast.support_a).get(reverse("home:index")).content.decode()
    assert "Follow-up calls after home visits" in home and cast.family_a.display_name in home
    # Closing it with a reason takes it off the home page.
    close = client_for(cast.support_a).post(
        reverse("delivery:task_close", args=[task.pk]), {"reason": "Family declined"}
    )
    assert close.status_code == 302
    home = client_for(cast.support_a).get(reverse("home:index")).content.decode()
    assert "No follow-up calls to make" in home


def test_a_contact_in_the_future_is_refused_with_a_clear_message(client_for, cast, plan):
    url = reverse("delivery:contact_new", args=[cast.family_a.pk]) + "?component=S3"
    response = client_for(cast.midwife_a).post(
        url,
        {
            "mode": "phone",
            "starts_at": local_input(timezone.now() + timedelta(days=2)),
            "planned_minutes": 60,
            "actual_minutes": 45,
            "facilitators": [cast.midwife_a.pk],
            "mother": "on",
        },
    )
    assert "in the future" in response.content.decode()
    assert not Contact.objects.exists() and not Attendance.objects.exists()


def test_a_manager_pauses_a_cohort_from_its_page(client_for, cast, plan):
    client = client_for(cast.manager_a)
    cohort_page = client.get(reverse("cohorts:detail", args=[cast.cohort_a.pk])).content.decode()
    assert "Group sessions as planned" in cohort_page and "Pause group sessions" in cohort_page
    url = reverse("delivery:cohort_switch", args=[cast.cohort_a.pk])
    values = {
        "action": "pause",
        "from_date": today().isoformat(),
        "mode": "phone",
        "prework": "on",
        "reason": "national lockdown",
    }
    # First a preview of what would change, and nothing changes.
    preview = client.post(url, values)
    text = preview.content.decode()
    assert preview.status_code == 200 and "Check before confirming" in text
    assert not DeliverySwitch.objects.exists() and not PlannedCall.objects.exists()
    groups_ahead = PlannedSession.objects.filter(
        cohort=cast.cohort_a, component__kind="group_session", starts_at__gt=timezone.now()
    ).count()
    assert f"{groups_ahead} sessions change" in text
    assert cast.family_a.display_name in text  # who is messaged
    response = client.post(url, {**values, "confirm": "1"})
    assert response.status_code == 302
    cohort_page = client.get(reverse("cohorts:detail", args=[cast.cohort_a.pk])).content.decode()
    assert "Group sessions paused" in cohort_page
    assert "national lockdown" in cohort_page and "Manager A" in cohort_page  # the history
    assert "Per-family phone calls" in cohort_page
    home = client_for(cast.midwife_a).get(reverse("home:index")).content.decode()
    assert "Calls to arrange" in home and "S2: Changes for me and us" in home


def test_facilitators_cannot_use_the_switch(client_for, cast, plan):
    response = client_for(cast.midwife_a).get(
        reverse("delivery:cohort_switch", args=[cast.cohort_a.pk])
    )
    assert response.status_code == 403
    site = client_for(cast.midwife_a).get(reverse("delivery:site_switch", args=[cast.site_a.pk]))
    assert site.status_code == 404
    assert not DeliverySwitch.objects.exists()


def test_site_reports_show_charts_and_the_lockdown_shift(client_for, cast, plan):
    contact_record(
        family=cast.family_a,
        cohort=cast.cohort_a,
        component=Component.objects.get(code="HV1"),
        mode="home_visit",
        starts_at=plan["HV1"].starts_at,
        planned_minutes=60,
        actual_minutes=60,
        facilitators=[cast.midwife_a, cast.support_a],
        recorded_by=cast.midwife_a,
        attendance=AttendanceIn(mother=True),
    )
    delivery_pause(
        site=cast.site_a,
        from_date=today(),
        reason="national lockdown",
        mode="phone",
        changed_by=cast.manager_a,
    )
    client = client_for(cast.manager_a)
    site = client.get(reverse("delivery:site", args=[cast.site_a.pk])).content.decode()
    assert site.count("<svg") >= 2 and "Delivery mode by month" in site
    assert "Whole site" in site  # the history
    time_page = client.get(reverse("delivery:site_time", args=[cast.site_a.pk]))
    content = time_page.content.decode()
    assert "<svg" in content and "Midwife A" in content and cast.family_a.display_name in content
    event = AuditEvent.objects.filter(action="list", object_type="family").latest("at")
    assert cast.family_a.pk in event.detail["family_ids"]
    assert (
        client_for(cast.manager_b).get(reverse("delivery:site", args=[cast.site_a.pk])).status_code
        == 404
    )
    assert (
        client_for(cast.admin).get(reverse("delivery:site_time", args=[cast.site_a.pk])).status_code
        == 200
    )
    assert client_for(cast.midwife_a).get(reverse("delivery:reports")).status_code == 403


def test_the_family_page_names_the_contacts_and_calls_it_showed_on_its_one_read(
    client_for, cast, plan
):
    from babysteps.audit.models import Action

    contact = contact_record(
        family=cast.family_a,
        cohort=cast.cohort_a,
        component=Component.objects.get(code="HV1"),
        mode="home_visit",
        starts_at=plan["HV1"].starts_at,
        planned_minutes=60,
        actual_minutes=60,
        facilitators=[cast.midwife_a, cast.support_a],
        recorded_by=cast.midwife_a,
        attendance=AttendanceIn(mother=True),
    )
    before = AuditEvent.objects.count()
    page = client_for(cast.midwife_a).get(reverse("families:detail", args=[cast.family_a.pk]))
    assert page.status_code == 200
    (event,) = AuditEvent.objects.order_by("id")[before:]
    assert (event.action, event.object_type) == (Action.VIEW, "family")
    assert event.detail["shown"] == {"contact": [contact.pk]}
