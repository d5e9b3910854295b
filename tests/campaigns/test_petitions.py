"""Campaign petitions: double opt-in, one signature per person (normalised email),
withdrawal, the public count, the export, spam protection and retention."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from babysteps.audit.models import Action, AuditEvent
from babysteps.campaigns.demo import SLUG, seed_campaign
from babysteps.campaigns.models import Campaign, Signature
from babysteps.campaigns.services import campaign_create
from babysteps.demo.registry import DemoContext
from babysteps.notifications.models import Message
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("retention_schedule")]


@pytest.fixture
def campaign(cast):
    return campaign_create(
        created_by=cast.admin,
        slug="fight-for-a-fair-start",
        title="Fight for a fair start",
        text="Every baby deserves a fair start.",
        target=100,
        opens_on=timezone.localdate() - timedelta(days=1),
        closes_on=timezone.localdate() + timedelta(days=30),
    )


def _sign(client: Client, campaign: Campaign, email: str, name: str = "Sam Jones", **extra):
    data = {"name": name, "email": email, "postcode": "ab1 2cd", "consent": "on", **extra}
    return client.post(reverse("campaigns:page", args=[campaign.slug]), data)


def _links(kind: str, to: str) -> list[str]:
    bodies = Message.objects.filter(to=to).order_by("pk").values_list("body", flat=True)
    return [m for body in bodies for m in re.findall(rf"/{kind}/\?t=([\w:.\-]+)", body)]


def _follow(client: Client, campaign: Campaign, kind: str, value: str):
    return client.post(reverse(f"campaigns:{kind}", args=[campaign.slug]), {"t": value})


def _count(client: Client, campaign: Campaign) -> int:
    page = client.get(reverse("campaigns:page", args=[campaign.slug])).content.decode()
    return int(re.search(r'data-signature-count="(\d+)"', page).group(1))


def test_signing_twice_and_confirming_both_links_counts_one(client, campaign):
    first = _sign(client, campaign, "Sam.Jones@Example.org")
    second = _sign(client, campaign, "  sam.jones@example.ORG ")
    thank_you = reverse("campaigns:check_email", args=[campaign.slug])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == thank_you  # the same answer
    assert Signature.objects.count() == 1
    assert _count(client, campaign) == 0  # unconfirmed: not counted
    links = _links("confirm", "sam.jones@example.org")
    assert len(links) == 2
    for value in links:
        assert _follow(client, campaign, "confirm", value).status_code == 200
    assert _count(client, campaign) == 1
    # Signing again once confirmed: the same answer; the email says so, with no new link.
    assert _sign(client, campaign, "SAM.JONES@example.org")["Location"] == thank_you
    last = Message.objects.filter(to="sam.jones@example.org").latest("pk")
    assert "already signed" in last.body and "/confirm/" not in last.body
    assert _count(client, campaign) == 1


def test_a_confirmation_link_only_shows_a_button_until_pressed(client, campaign):
    _sign(client, campaign, "a@example.org")
    value = _links("confirm", "a@example.org")[0]
    page = client.get(reverse("campaigns:confirm", args=[campaign.slug]), {"t": value})
    assert page.status_code == 200 and b"Confirm my signature" in page.content
    assert _count(client, campaign) == 0  # a mail scanner opening the link changes nothing
    bad = _follow(client, campaign, "confirm", value + "x")
    assert bad.status_code == 422 and b"not valid" in bad.content


def test_withdrawing_removes_it_from_the_count_and_erases_the_signer(client, campaign):
    _sign(client, campaign, "b@example.org", name="Bea Smith")
    _follow(client, campaign, "confirm", _links("confirm", "b@example.org")[0])
    assert _count(client, campaign) == 1
    value = _links("withdraw", "b@example.org")[0]
    assert _follow(client, campaign, "withdraw", value).status_code == 200
    assert _count(client, campaign) == 0
    signature = Signature.objects.get()
    assert (signature.status, signature.name, signature.postcode) == ("withdrawn", "", "")
    assert "example.org" not in signature.email
    assert not Message.objects.filter(to="b@example.org").exists()  # what was sent is erased
    # They may sign again later.
    _sign(client, campaign, "b@example.org", name="Bea Smith")
    assert Signature.objects.filter(status="pending").count() == 1


def test_the_export_holds_only_confirmed_signatures_with_formulas_inert(cast, client, campaign):
    _sign(client, campaign, "c@example.org", name="=HYPERLINK(1)")
    _follow(client, campaign, "confirm", _links("confirm", "c@example.org")[0])
    _sign(client, campaign, "d@example.org", name="Never Confirmed")
    admin = Client()
    admin.force_login(cast.admin)
    response = admin.get(reverse("campaigns:signatures_csv", args=[campaign.slug]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["email"] for r in rows] == ["c@example.org"]
    assert rows[0]["name"] == "'=HYPERLINK(1)"
    assert rows[0]["consent"] == campaign.sign_wording  # the wording they agreed to
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_type="campaign").exists()


def test_a_robot_filling_the_hidden_field_saves_nothing(client, campaign):
    response = _sign(client, campaign, "bot@example.org", website="http://spam.example")
    assert response.status_code == 302
    assert not Signature.objects.exists() and not Message.objects.exists()


def test_signing_is_rate_limited_per_address(client, campaign):
    for n in range(10):
        assert _sign(client, campaign, f"p{n}@example.org").status_code == 302
    assert _sign(client, campaign, "p10@example.org").status_code == 429
    assert Signature.objects.count() == 10


def test_bad_input_and_a_closed_petition_are_refused_clearly(client, campaign):
    response = _sign(client, campaign, "not-an-address")
    assert response.status_code == 422 and b"Enter an email address" in response.content
    response = client.post(
        reverse("campaigns:page", args=[campaign.slug]), {"name": "X", "email": "x@example.org"}
    )
    assert response.status_code == 422 and b"Tick the box to sign" in response.content
    Campaign.objects.filter(pk=campaign.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )
    response = _sign(client, campaign, "late@example.org")
    assert response.status_code == 422 and not Signature.objects.exists()


def test_only_nspcc_admins_manage_campaigns(cast, client_for, campaign):
    _sign(Client(), campaign, "e@example.org")
    _follow(Client(), campaign, "confirm", _links("confirm", "e@example.org")[0])
    admin = client_for(cast.admin)
    assert b"Fight for a fair start" in admin.get(reverse("campaigns:list")).content
    page = admin.get(reverse("campaigns:manage", args=[campaign.slug]))
    assert page.status_code == 200 and b"<svg" in page.content
    for who in ("manager_a", "evaluator", "midwife_a"):
        client = client_for(getattr(cast, who))
        assert client.get(reverse("campaigns:list")).status_code == 403
        assert client.get(
            reverse("campaigns:signatures_csv", args=[campaign.slug])
        ).status_code in (
            403,
            404,
        )


def test_retention_deletes_unconfirmed_and_later_erases_signers(client, campaign, time_machine):
    _sign(client, campaign, "f@example.org")
    _sign(client, campaign, "g@example.org")
    _follow(client, campaign, "confirm", _links("confirm", "g@example.org")[0])
    time_machine.move_to(timezone.now() + timedelta(days=31), tick=False)
    call_command("apply_retention", stdout=io.StringIO())
    assert list(Signature.objects.values_list("email", flat=True)) == ["g@example.org"]
    time_machine.move_to(timezone.now() + timedelta(days=400), tick=False)
    call_command("apply_retention", stdout=io.StringIO())
    signature = Signature.objects.get()
    assert signature.email.startswith("erased:") and signature.name == ""
    assert _count(client, campaign) == 1  # the count stays


def test_the_demo_has_the_open_campaign(db):
    UserFactory(email="admin@nspcc.demo")
    seed_campaign(DemoContext(password="x"))
    client = Client()
    response = client.get(f"/campaigns/{SLUG}/")
    assert response.status_code == 200
    assert b'data-signature-count="0"' in response.content
