"""API tokens have a life and end with the terms they were issued under."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from babysteps.accounts.models import Membership
from babysteps.api.models import ApiToken
from babysteps.audit.models import Action, AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
FAMILIES = "/api/v1/families"


def _token_for(user, *days: str) -> str:
    out = StringIO()
    call_command("api_token", "create", "--email", user.email, *days, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def _status(token: str) -> int:
    return Client(headers={"Authorization": f"Bearer {token}"}).get(FAMILIES).status_code


def test_a_token_lives_90_days_by_default_and_days_can_say_otherwise(cast):
    before = timezone.now()
    _token_for(cast.manager_a)
    _token_for(cast.midwife_a, "--days", "7")
    default = ApiToken.objects.get(user=cast.manager_a).expires_at - before
    short = ApiToken.objects.get(user=cast.midwife_a).expires_at - before
    assert timedelta(days=90) <= default < timedelta(days=90, minutes=1)
    assert timedelta(days=7) <= short < timedelta(days=7, minutes=1)


@pytest.mark.parametrize("days", ["0", "-3", "400"])
def test_a_life_out_of_range_is_refused_and_nothing_is_made(cast, days):
    with pytest.raises(CommandError, match="between 1 and 366 days"):
        _token_for(cast.manager_a, "--days", days)
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_401(cast):
    token = _token_for(cast.manager_a, "--days", "2")
    assert _status(token) == 200
    with time_machine.travel(timezone.now() + timedelta(days=2, minutes=1)):
        assert _status(token) == 401


def test_last_use_is_recorded_and_listed_with_the_expiry(cast):
    token = _token_for(cast.manager_a)
    out = StringIO()
    call_command("api_token", "list", "--email", cast.manager_a.email, stdout=out)
    assert out.getvalue().splitlines()[1].endswith("\tnever")
    assert _status(token) == 200
    record = ApiToken.objects.get()
    assert record.last_used_at is not None
    out = StringIO()
    call_command("api_token", "list", "--email", cast.manager_a.email, stdout=out)
    header, row = out.getvalue().splitlines()
    assert header.split("\t") == [
        "id", "prefix", "state", "name", "created", "expires", "last used"
    ]  # fmt: skip
    cells = row.split("\t")
    assert cells[2] == "active"
    assert cells[5] == f"{timezone.localtime(record.expires_at):%Y-%m-%d %H:%M}"
    assert cells[6] != "never"


def test_changing_the_password_revokes_the_accounts_tokens(cast, client):
    token = _token_for(cast.manager_a)
    other = _token_for(cast.midwife_a)
    client.force_login(cast.manager_a)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-9",
            "new_password2": "a-new-long-passphrase-9",
        },
    )
    assert response.status_code == 302
    assert _status(token) == 401
    assert _status(other) == 200  # someone else's token is untouched
    record = ApiToken.objects.get(user=cast.manager_a)
    assert record.revoked_reason == "password changed"
    event = AuditEvent.objects.get(object_type="apitoken", action=Action.CHANGE)
    assert event.actor_id == cast.manager_a.pk and event.reason == "password changed"


def test_resetting_the_password_by_email_link_revokes_the_tokens(cast):
    token = _token_for(cast.manager_a)
    uid = urlsafe_base64_encode(force_bytes(cast.manager_a.pk))
    link = reverse(
        "accounts:password_reset_confirm",
        args=[uid, default_token_generator.make_token(cast.manager_a)],
    )
    client = Client()
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase-9", "new_password2": "a-new-long-passphrase-9"},
    )
    assert response.status_code == 302
    assert _status(token) == 401
    change = AuditEvent.objects.filter(
        object_type="user", object_id=str(cast.manager_a.pk), action=Action.CHANGE
    ).first()  # the newest
    assert change.detail == {"fields": ["password"]} and change.actor_id == cast.manager_a.pk


def test_deactivation_revokes_the_tokens_for_good(cast):
    token = _token_for(cast.manager_a)
    cast.manager_a.is_active = False
    cast.manager_a.save()
    assert _status(token) == 401
    cast.manager_a.is_active = True  # coming back does not bring the token back
    cast.manager_a.save()
    assert _status(token) == 401
    assert ApiToken.objects.get().revoked_reason == "account deactivated"


def test_losing_a_role_revokes_the_tokens(cast):
    token = _token_for(cast.manager_a)
    Membership.objects.filter(user=cast.manager_a).delete()
    assert _status(token) == 401
    assert ApiToken.objects.get().revoked_reason == "role removed"


def test_a_name_change_does_not_revoke_anything(cast):
    token = _token_for(cast.manager_a)
    cast.manager_a.full_name = "Renamed Manager"
    cast.manager_a.save()
    assert _status(token) == 200
