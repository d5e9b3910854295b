"""The portal's pages and the facilitator's call preparation."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from babysteps.audit.models import AuditEvent
from babysteps.families.models import Family
from babysteps.notifications.models import Message
from babysteps.notifications.sending import deliver_due_messages
from babysteps.portal.models import ParentQuestion, PortalProfile
from babysteps.portal.services import question_ask
from babysteps.videos.watching import watch_record
from tests.videos.fixtures import parent_client

pytestmark = pytest.mark.django_db


def test_home_shows_the_next_call_its_videos_and_what_was_watched(world):
    watch_record(parent=world.mother_a, video=world.s1, intervals=[[0, 16]])
    content = parent_client(world.mother_a).get(reverse("portal:home")).content.decode()
    assert "Your next group session" in content and "Our developing baby" in content
    assert "National S1" in content and "Local A" in content
    assert "Local B" not in content and "National S2" not in content
    assert re.search(r"National S1</a>.*?Watched</span>", content, re.S)
    assert re.search(r"Local A</a>.*?Not watched yet", content, re.S)
    assert "What would you like to talk about?" in content


def test_earlier_components_stay_available_to_rewatch(world):
    from datetime import timedelta

    from django.utils import timezone

    from tests.videos.fixtures import pin

    # S1 happened yesterday; S2 is next (in nine days, not released yet).
    pin(world.cast.cohort_a, "S1", timezone.now() - timedelta(days=1))
    content = parent_client(world.mother_a).get(reverse("portal:home")).content.decode()
    assert "Watch again" in content and "National S1" in content
    assert "The videos for it will be here from" in content
    assert (
        parent_client(world.mother_a).get(reverse("portal:video", args=[world.s1.pk])).status_code
        == 200
    )


def test_video_page_has_captions_on_by_default_and_a_transcript(world):
    content = (
        parent_client(world.mother_a)
        .get(reverse("portal:video", args=[world.s1.pk]))
        .content.decode()
    )
    assert re.search(r'<track kind="captions"[^>]* default>', content)
    assert "<h2>Transcript</h2>" in content and "Your baby can already hear" in content
    assert 'data-progress-url="/portal/videos/' in content
    PortalProfile.objects.create(parent=world.mother_a, captions_on=False)
    content = (
        parent_client(world.mother_a)
        .get(reverse("portal:video", args=[world.s1.pk]))
        .content.decode()
    )
    assert re.search(r'<track kind="captions"[^>]*>', content) and " default>" not in content


def test_a_parent_sends_a_question_once_even_if_sent_twice(world):
    client = parent_client(world.mother_a)
    form = client.get(reverse("portal:home")).context["question_form"]
    data = {
        "text": "Is it normal to feel this tired?",
        "submission_key": form.initial["submission_key"],
    }
    assert client.post(reverse("portal:questions"), data).status_code == 302
    assert client.post(reverse("portal:questions"), data).status_code == 302
    question = ParentQuestion.objects.get()
    assert question.family == world.cast.family_a and question.component.code == "S1"
    assert (
        AuditEvent.objects.filter(
            object_type="parentquestion", actor_label__startswith="parent:"
        ).count()
        == 1
    )
    content = client.get(reverse("portal:home")).content.decode()
    assert "Is it normal to feel this tired?" in content


def test_an_empty_question_is_refused_clearly(world):
    response = parent_client(world.mother_a).post(reverse("portal:questions"), {"text": "  "})
    assert response.status_code == 200 and b"There is a problem" in response.content
    assert not ParentQuestion.objects.exists()


def test_call_me_soon_tells_the_facilitators_without_the_question(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        parent_client(world.mother_a).post(
            reverse("portal:questions"), {"text": "Private worry about home", "call_me_soon": "on"}
        )
    staff_messages = Message.objects.filter(user__isnull=False)
    assert {m.user for m in staff_messages} == {world.cast.midwife_a, world.cast.support_a}
    for message in staff_messages:
        assert "Private worry" not in message.body and world.mother_a.given_name not in message.body
        assert f"/prep/{world.cast.family_a.pk}/" in message.body
    assert any(e.to == [world.cast.midwife_a.email] for e in mail.outbox)


def test_the_mother_sets_contact_preferences_and_safe_times(world):
    client = parent_client(world.mother_a)
    page = client.get(reverse("portal:details")).content.decode()
    assert "When it is safe to call you" in page
    response = client.post(
        reverse("portal:details"),
        {
            "contact_by_email": "on",
            "contact_by_sms": "on",
            "preferred_channel": "email",
            "safe_call_from": "10:00",
            "safe_call_to": "15:00",
            "preferred_language": "English",
            "weekly_tips_opt_in": "on",
            "captions_on": "on",
        },
    )
    assert response.status_code == 302
    family = Family.objects.get(pk=world.cast.family_a.pk)
    assert str(family.safe_call_from) == "10:00:00" and family.preferred_channel == "email"
    assert not family.contact_by_phone
    assert family.weekly_tips_opt_in
    event = AuditEvent.objects.get(object_type="family", actor_label__startswith="parent:")
    assert "safe_call_from" in event.detail["fields"] and "10:00" not in str(event.detail)


def test_details_errors_are_clear_and_nothing_is_saved(world):
    client = parent_client(world.mother_a)
    response = client.post(
        reverse("portal:details"),
        {
            "contact_by_sms": "on",
            "preferred_channel": "email",
            "safe_call_from": "10:00",
            "preferred_language": "English",
        },
    )
    content = response.content.decode()
    assert (
        "Give both ends of the safe time" in content or "Choose a way we may contact you" in content
    )
    assert Family.objects.get(pk=world.cast.family_a.pk).safe_call_from is None


def test_the_partner_neither_sees_nor_changes_the_familys_safe_times(world):
    Family.objects.filter(pk=world.cast.family_a.pk).update(
        safe_call_notes="Not when her partner is at home"
    )
    client = parent_client(world.partner_a)
    page = client.get(reverse("portal:details")).content.decode()
    assert "When it is safe to call you" not in page and "partner is at home" not in page
    client.post(
        reverse("portal:details"),
        {
            "captions_on": "",
            "weekly_tips_opt_in": "on",
            "safe_call_from": "01:00",
            "safe_call_to": "02:00",
        },
    )
    family = Family.objects.get(pk=world.cast.family_a.pk)
    assert family.safe_call_from is None
    assert not family.weekly_tips_opt_in
    assert PortalProfile.objects.get(parent=world.partner_a).captions_on is False


def test_call_prep_shows_seconds_watched_per_parent_and_questions(world, client_for):
    watch_record(parent=world.mother_a, video=world.s1, intervals=[[0, 5], [10, 12]])
    watch_record(parent=world.partner_a, video=world.local_a, intervals=[[0, 16]])
    question_ask(
        parent=world.mother_a, text="How do we cope with the night feeds?", call_me_soon=True
    )
    response = client_for(world.cast.midwife_a).get(
        reverse("prep:family", args=[world.cast.family_a.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "S1: Our developing baby" in content
    assert "7 s of 16 s" in content  # 5 + 2 seconds really played
    assert "16 s of 16 s" in content and "Watched" in content
    assert (
        "How do we cope with the night feeds?" in content and "Asked to be called soon" in content
    )
    assert (
        AuditEvent.objects.filter(
            action="view", family_id=world.cast.family_a.pk, reason="call preparation"
        ).count()
        == 1
    )


def test_marking_a_question_discussed_records_who_and_when(world, client_for):
    question = question_ask(parent=world.mother_a, text="Breastfeeding worries")
    client = client_for(world.cast.support_a)
    url = reverse("prep:question_discussed", args=[world.cast.family_a.pk, question.pk])
    assert client.post(url).status_code == 302
    question.refresh_from_db()
    assert question.discussed_by == world.cast.support_a and question.discussed_at is not None
    content = client.get(reverse("prep:family", args=[world.cast.family_a.pk])).content.decode()
    assert "Discussed by Support A" in content
    client.post(url, {"discussed": "no"})
    question.refresh_from_db()
    assert question.discussed_at is None and question.discussed_by is None


def test_call_prep_is_404_outside_scope(world, client_for):
    question = question_ask(parent=world.mother_a, text="x")
    for user in (
        world.cast.facilitator_b,
        world.cast.facilitator_a2,
        world.cast.manager_b,
        world.cast.evaluator,
    ):
        client = client_for(user)
        assert client.get(reverse("prep:family", args=[world.cast.family_a.pk])).status_code in (
            403,
            404,
        )
        url = reverse("prep:question_discussed", args=[world.cast.family_a.pk, question.pk])
        assert client.post(url).status_code in (403, 404)
    # A question of another family, under one's own family id: 404.
    other = question_ask(parent=world.mother_b, text="y")
    url = reverse("prep:question_discussed", args=[world.cast.family_a.pk, other.pk])
    assert client_for(world.cast.midwife_a).post(url).status_code == 404


def test_facilitator_sends_a_sign_in_link_from_the_family_page(
    world, client_for, django_capture_on_commit_callbacks, no_quiet_hours
):
    client = client_for(world.cast.midwife_a)
    page = client.get(reverse("families:detail", args=[world.cast.family_a.pk])).content.decode()
    assert "Send a sign-in link" in page and "Prepare for the call" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("prep:sign_in_link", args=[world.cast.family_a.pk]), {"role": "partner"}
        )
    assert response.status_code == 302
    # Staff-sent messages wait for the next whole minute (safe-time rounding): the sweeper.
    deliver_due_messages(now=timezone.now() + timedelta(minutes=1))
    assert mail.outbox[-1].to == [world.partner_a.email]
    assert "Your Baby Steps facilitator sent you" in mail.outbox[-1].body
    path = re.search(r"/portal/sign-in/link/\?token=\S+", mail.outbox[-1].body).group(0)
    code = re.search(r"code: (\d{6})", mail.outbox[-1].body).group(1)
    # No browser asked for a link staff sent: it signs in with the code of the same message.
    browser = parent_client(world.mother_b)
    browser.post(path, {"code": code})
    assert browser.get(reverse("portal:home")).context["parent"] == world.partner_a


def test_a_link_sent_by_staff_waits_for_the_familys_safe_time(world, client_for):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from babysteps.portal.models import SignInChallenge
    from babysteps.portal.services import sign_in_link_send

    Family.objects.filter(pk=world.cast.family_a.pk).update(
        safe_call_from=time(10), safe_call_to=time(11)
    )
    world.mother_a.refresh_from_db()
    evening = timezone.make_aware(datetime.combine(timezone.localdate(), time(20)))
    message = sign_in_link_send(parent=world.mother_a, sent_by=world.cast.midwife_a, now=evening)
    assert timezone.localtime(message.send_after).time() == time(10)
    challenge = SignInChallenge.objects.get()
    assert challenge.expires_at == message.send_after + timedelta(minutes=15)
