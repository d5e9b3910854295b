"""Every member of staff passes a second factor after their password: an authenticator
app, a passkey or a one-use recovery code. Set up at first sign-in; reset by another
NSPCC admin when lost, never by oneself."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from babysteps.audit.models import AuditEvent
from tests.conftest import force_login_password_only
from tests.factories import PASSWORD, app_code

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/", "/families/", "/accounts/your-details/", "/accounts/password/", "/admin/"]


def _password_only(user) -> Client:
    client = Client()
    force_login_password_only(client, user)
    return client


@pytest.mark.parametrize(
    "role",
    ["admin", "evaluator", "safe_and_well", "manager_a", "midwife_a", "facilitator_b", "no_role"],
)
def test_the_password_alone_reaches_no_staff_page(cast, role):
    user = getattr(cast, role)
    client = _password_only(user)
    for url in STAFF_PAGES:
        response = client.get(url, follow=True)
        # Sent (the Django admin by way of its own sign-in page) to the second factor.
        assert response.redirect_chain, (role, url)
        assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/"), (role, url)
    # Nor the API by the session (integrations use tokens).
    assert client.get("/api/v1/families").status_code == 401


def test_first_sign_in_sets_up_an_app_and_shows_recovery_codes_once(cast):
    user = cast.midwife_a
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    home = client.get("/")
    assert home["Location"].startswith("/accounts/two-factor/setup/")
    page = client.get(home["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert 'autocomplete="one-time-code"' in text
    assert 'src="data:image/svg+xml' in text  # the QR code, served by the app itself
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # The key written on the page is the device's.
    assert re.search(r'class="secret-key">([A-Z2-7]+)<', text)
    wrong = client.post(home["Location"], {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    done = client.post(home["Location"], {"code": app_code_of(device), "next": "/"})
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/").status_code == 200  # set up and passed in one go
    assert AuditEvent.objects.filter(object_type="second_factor", action="create").exists()


def app_code_of(device: TOTPDevice) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key):06d}"


def test_a_recovery_code_works_once(cast, client_for):
    user = cast.manager_a
    app_code(user)  # an app is set up
    codes = client_for(user).post(reverse("accounts:recovery_codes_new"))
    code = re.findall(r"<li><code>([a-z2-7]+)</code></li>", codes.content.decode())[0]
    first = _password_only(user)
    response = first.post(reverse("accounts:second_factor"), {"code": code, "next": "/"})
    assert response.status_code == 302 and first.get("/").status_code == 200
    second = _password_only(user)
    again = second.post(reverse("accounts:second_factor"), {"code": code, "next": "/"})
    assert again.status_code == 200 and "not right" in again.content.decode()
    assert second.get("/").status_code == 302
    assert StaticDevice.objects.get(user=user, name="Recovery codes").token_set.count() == 9


def test_the_app_code_passes_and_a_wrong_one_does_not(cast):
    user = cast.facilitator_b
    app_code(user)
    client = _password_only(user)
    page = client.get(reverse("accounts:second_factor"))
    assert 'autocomplete="one-time-code"' in page.content.decode()
    wrong = client.post(reverse("accounts:second_factor"), {"code": "123456", "next": "/"})
    assert wrong.status_code == 200 and client.get("/").status_code == 302
    # A wrong code makes the next try wait a moment (django-otp's throttle).
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        client = _password_only(user)
        right = client.post(
            reverse("accounts:second_factor"), {"code": app_code(user), "next": "/"}
        )
        assert right["Location"] == "/"
        assert client.get("/").status_code == 200


def test_a_password_only_session_cannot_replace_the_factor_or_add_a_passkey(cast):
    user = cast.manager_a
    app_code(user)
    client = _password_only(user)
    setup = client.get(reverse("accounts:second_factor_setup"))
    assert setup["Location"].startswith("/accounts/two-factor/?")
    begin = client.post(
        reverse("otp_webauthn:credential-registration-begin"), content_type="application/json"
    )
    assert begin.status_code >= 400


def test_an_admin_resets_another_persons_lost_factor_not_their_own(cast, client_for):
    user = cast.midwife_a
    app_code(user)
    admin = client_for(cast.admin)
    url = reverse("accounts:second_factor_reset", args=[user.pk])
    refused = admin.post(url, {"reason": "", "confirm": "on"})
    assert refused.status_code == 200 and TOTPDevice.objects.filter(user=user).exists()
    done = admin.post(url, {"reason": "Lost phone, checked by a call", "confirm": "on"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(object_type="second_factor", object_id=str(user.pk))
    assert event.actor == cast.admin and event.detail["reset"] is True
    assert "Lost phone" in event.reason
    # Never one's own.
    own = admin.post(
        reverse("accounts:second_factor_reset", args=[cast.admin.pk]),
        {"reason": "Lost phone", "confirm": "on"},
    )
    assert "another NSPCC admin" in own.content.decode()
    # Only NSPCC admins reset factors.
    assert client_for(cast.manager_a).get(url).status_code == 404
