"""A member of staff's own details: the work mobile for urgent alerts, and the password."""

import pytest
from django.test import Client
from django.urls import reverse

from babysteps.audit.models import Action, AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_set_their_work_mobile_and_the_change_is_audited(cast):
    client = _client(cast.midwife_a)
    url = reverse("accounts:details")
    assert url in client.get(reverse("home:index")).content.decode()  # the name in the header
    response = client.post(url, {"work_mobile": "+44 7700 900123"})
    assert response.status_code == 302
    cast.midwife_a.refresh_from_db()
    assert cast.midwife_a.work_mobile == "+447700900123"  # E.164
    event = AuditEvent.objects.get(
        object_type="user", object_id=str(cast.midwife_a.pk), action=Action.CHANGE
    )
    assert event.detail == {"fields": ["work_mobile"]} and "900123" not in str(event.detail)
    client.post(url, {"work_mobile": ""})
    cast.midwife_a.refresh_from_db()
    assert cast.midwife_a.work_mobile == ""


def test_a_wrong_number_is_a_field_error_and_saves_nothing(cast):
    response = _client(cast.midwife_a).post(
        reverse("accounts:details"), {"work_mobile": "0161 496 0000"}
    )
    assert response.status_code == 422
    assert "work_mobile" in response.context["form"].errors
    cast.midwife_a.refresh_from_db()
    assert cast.midwife_a.work_mobile == ""
    assert not AuditEvent.objects.filter(object_type="user", action=Action.CHANGE).exists()


def test_changing_the_password_checks_the_old_one_and_keeps_the_session(cast):
    client = _client(cast.midwife_a)
    url = reverse("accounts:password_change")
    new = "a long new pass phrase 42"
    wrong = client.post(url, {"old_password": "nope", "new_password1": new, "new_password2": new})
    assert wrong.status_code == 200 and "old_password" in wrong.context["form"].errors
    short = client.post(
        url, {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}
    )
    assert "new_password2" in short.context["form"].errors
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert client.get(reverse("home:index")).status_code == 200  # still signed in
    cast.midwife_a.refresh_from_db()
    assert cast.midwife_a.check_password(new)
    assert AuditEvent.objects.filter(
        object_type="user", detail__fields=["password"], actor=cast.midwife_a
    ).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for name in ("accounts:details", "accounts:password_change"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def _reset_link(body: str) -> str:
    import re

    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", body).group(1)


def test_a_forgotten_password_is_reset_by_an_emailed_link_once(cast, client, mailoutbox):
    assert (
        reverse("accounts:password_reset") in client.get(reverse("accounts:login")).content.decode()
    )
    response = client.post(reverse("accounts:password_reset"), {"email": cast.midwife_a.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [cast.midwife_a.email]
    link = _reset_link(mailoutbox[0].body)
    form = client.get(link, follow=True)  # Django moves the token into the session
    assert form.context["validlink"]
    new = "a long new pass phrase 42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    cast.midwife_a.refresh_from_db()
    assert cast.midwife_a.check_password(new)
    assert AuditEvent.objects.filter(object_type="user", detail__fields=["password"]).exists()
    again = Client().get(link, follow=True)
    assert not again.context["validlink"]  # used once


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, mailoutbox, cast):
    known = client.post(reverse("accounts:password_reset"), {"email": cast.midwife_a.email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mailoutbox] == [[cast.midwife_a.email]]


def test_reset_requests_are_rate_limited_per_address(client, mailoutbox, cast):
    from django.core.cache import cache

    cache.clear()
    for _ in range(5):
        response = client.post(reverse("accounts:password_reset"), {"email": cast.midwife_a.email})
        assert response.status_code == 302  # the same answer throughout
    assert len(mailoutbox) == 3
