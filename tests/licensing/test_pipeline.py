"""The licensing pipeline: enquiry, readiness, approval with terms and a site, activation,
renewal, suspension and expiry; every step checked, recorded and audited."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from babysteps.audit.models import AuditEvent
from babysteps.licensing import pipeline
from babysteps.licensing.models import (
    Enquiry,
    Licence,
    LicenceStep,
    Organisation,
    ReadinessItem,
    Site,
)
from babysteps.licensing.readiness import seed_readiness
from babysteps.notifications.models import Message

pytestmark = pytest.mark.django_db
S = Licence.Status
TERMS = pipeline.Terms(start_date=date(2027, 1, 1), end_date=date(2029, 12, 31))
ENQUIRY = {
    "organisation_name": "Northshire Council",
    "area": "Northshire",
    "contact_name": "Pat Lee",
    "contact_email": " Pat@Northshire.example ",
    "plan": "Four universal groups a year.",
    "reason": "Our perinatal mental health strategy.",
}


@pytest.fixture
def items(db):
    seed_readiness(ReadinessItem)
    return list(ReadinessItem.objects.all())


def _confirmed() -> Licence:
    enquiry = pipeline.enquiry_submit(**ENQUIRY)
    return pipeline.enquiry_confirm(value=pipeline.enquiry_token(enquiry)).licence


def test_an_enquiry_enters_the_pipeline_only_once_confirmed(cast):
    enquiry = pipeline.enquiry_submit(**ENQUIRY)
    assert enquiry.contact_email == "pat@northshire.example"
    assert not Licence.objects.filter(organisation__name="Northshire Council").exists()
    confirm = Message.objects.get(key=f"enquiry:{enquiry.pk}:confirm")
    assert "/enquire/confirm/?token=" in confirm.body
    enquiry = pipeline.enquiry_confirm(value=pipeline.enquiry_token(enquiry))
    licence = enquiry.licence
    assert licence.status == S.ENQUIRY and licence.organisation.name == "Northshire Council"
    assert Message.objects.filter(key=f"enquiry:{enquiry.pk}:received").exists()
    told = Message.objects.filter(key__startswith=f"enquiry:{enquiry.pk}:admin:")
    assert told.count() == 1 and told.get().to == cast.admin.email
    # Following the link again changes nothing.
    assert pipeline.enquiry_confirm(value=pipeline.enquiry_token(enquiry)).licence == licence
    assert Licence.objects.filter(organisation__name="Northshire Council").count() == 1
    with pytest.raises(ValidationError, match="not valid"):
        pipeline.enquiry_from_token("forged")


def test_approval_needs_every_checklist_item_terms_and_a_site(cast, items):
    licence = _confirmed()
    pipeline.licence_step(licence=licence, to=S.READINESS, by=cast.admin)
    with pytest.raises(ValidationError, match="readiness checklist"):
        pipeline.licence_step(
            licence=licence, to=S.APPROVED, by=cast.admin, terms=TERMS, site_name="North"
        )
    for item in items:
        pipeline.readiness_confirm(
            licence=Licence.objects.get(pk=licence.pk),
            item=item,
            confirmed_by=cast.admin,
            document=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"),
        )
    licence.refresh_from_db()
    with pytest.raises(ValidationError, match="terms"):
        pipeline.licence_step(licence=licence, to=S.APPROVED, by=cast.admin, site_name="North")
    with pytest.raises(ValidationError, match="Name the site"):
        pipeline.licence_step(licence=licence, to=S.APPROVED, by=cast.admin, terms=TERMS)
    with pytest.raises(ValidationError, match="organisation's own"):
        pipeline.licence_step(
            licence=licence, to=S.APPROVED, by=cast.admin, terms=TERMS, site=cast.site_b
        )
    assert Licence.objects.get(pk=licence.pk).status == S.READINESS  # refused: unchanged
    licence = pipeline.licence_step(
        licence=licence, to=S.APPROVED, by=cast.admin, terms=TERMS, site_name="North Site"
    )
    site = Site.objects.get(name="North Site")
    assert site.licence == licence and site.organisation == licence.organisation
    assert (licence.start_date, licence.end_date, licence.facilitator_allowance) == (
        date(2027, 1, 1),
        date(2029, 12, 31),
        12,
    )


def test_every_transition_is_recorded_and_audited_and_illegal_jumps_refused(cast, items):
    licence = _confirmed()
    with pytest.raises(ValidationError, match="cannot go from Enquiry to Active"):
        pipeline.licence_step(licence=licence, to=S.ACTIVE, by=cast.admin)
    pipeline.licence_step(licence=licence, to=S.READINESS, by=cast.admin)
    for item in items:
        pipeline.readiness_confirm(licence=licence, item=item, confirmed_by=cast.admin)
    pipeline.licence_step(licence=licence, to=S.APPROVED, by=cast.admin, terms=TERMS, site_name="N")
    pipeline.licence_step(licence=licence, to=S.ACTIVE, by=cast.admin)
    with pytest.raises(ValidationError, match="Say why"):
        pipeline.licence_step(licence=licence, to=S.SUSPENDED, by=cast.admin)
    pipeline.licence_step(
        licence=licence, to=S.SUSPENDED, by=cast.admin, reason="Safeguarding review"
    )
    assert Licence.objects.get(pk=licence.pk).suspended_reason == "Safeguarding review"
    pipeline.licence_step(licence=licence, to=S.ACTIVE, by=cast.admin, reason="Review closed")
    assert Licence.objects.get(pk=licence.pk).suspended_reason == ""
    pipeline.licence_step(licence=licence, to=S.RENEWAL_DUE, by=cast.admin)
    renewed = pipeline.Terms(start_date=TERMS.start_date, end_date=date(2032, 12, 31))
    licence = pipeline.licence_step(licence=licence, to=S.ACTIVE, by=cast.admin, terms=renewed)
    assert licence.end_date == date(2032, 12, 31)
    pipeline.licence_step(licence=licence, to=S.EXPIRED, by=cast.admin)
    steps = list(LicenceStep.objects.filter(licence=licence).values_list("to_status", flat=True))
    assert steps == [
        S.ENQUIRY,
        S.READINESS,
        S.APPROVED,
        S.ACTIVE,
        S.SUSPENDED,
        S.ACTIVE,
        S.RENEWAL_DUE,
        S.ACTIVE,
        S.EXPIRED,
    ]
    changes = AuditEvent.objects.filter(
        object_type="licence", action="change", object_id=str(licence.pk)
    )
    assert [e.detail["to"] for e in changes.order_by("pk")] == steps[1:]
    assert all(e.actor == cast.admin for e in changes)


def test_the_pages_are_for_nspcc_admins(cast, client_for, items):
    licence = _confirmed()
    for who in ("manager_a", "midwife_a", "evaluator"):
        assert client_for(getattr(cast, who)).get(reverse("licensing:pipeline")).status_code == 403
        assert (
            client_for(getattr(cast, who))
            .get(reverse("licensing:licence", args=[licence.pk]))
            .status_code
            == 404
        )
    client = client_for(cast.admin)
    assert "Northshire Council" in client.get(reverse("licensing:pipeline")).content.decode()
    client.post(reverse("licensing:step", args=[licence.pk]), {"to": S.READINESS})
    assert Licence.objects.get(pk=licence.pk).status == S.READINESS
    client.post(
        reverse("licensing:readiness", args=[licence.pk]),
        {
            "item": items[0].pk,
            "note": "Signed 1 May",
            "document": SimpleUploadedFile("s.pdf", b"%PDF"),
        },
    )
    check = licence.checks.get()
    page = client.get(reverse("licensing:licence", args=[licence.pk])).content.decode()
    assert "Signed 1 May" in page
    document = client.get(reverse("licensing:evidence", args=[licence.pk]), {"check": check.pk})
    assert document.status_code == 200 and b"".join(document.streaming_content) == b"%PDF"


def test_the_public_form_keeps_robots_out_and_limits_each_address(client, settings):
    url = reverse("enquiry:form")
    assert client.get(url).status_code == 200
    response = client.post(url, {**ENQUIRY, "website": "http://spam.example"})
    assert response.status_code == 302 and not Enquiry.objects.exists()
    response = client.post(url, {**ENQUIRY, "contact_email": "not an email"})
    assert response.status_code == 422 and not Enquiry.objects.exists()
    for _ in range(3):
        client.post(url, ENQUIRY)
    assert Enquiry.objects.count() == 3
    # Five tries an hour from one address (the robot's and the mistaken one count too).
    assert [client.post(url, ENQUIRY).status_code for _ in range(2)] == [429, 429]
    assert Enquiry.objects.count() == 3


def test_the_emailed_link_confirms_only_with_the_button(client):
    enquiry = pipeline.enquiry_submit(**ENQUIRY)
    link = re.search(
        r"/enquire/confirm/\?token=\S+",
        Message.objects.get(key=f"enquiry:{enquiry.pk}:confirm").body,
    ).group(0)
    page = client.get(link)
    assert "Confirm my enquiry" in page.content.decode()
    assert Enquiry.objects.get(pk=enquiry.pk).confirmed_at is None  # opening it is not enough
    token = link.split("token=")[1]
    done = client.post(reverse("enquiry:confirm"), {"token": token})
    assert "your enquiry is confirmed" in done.content.decode()
    assert Enquiry.objects.get(pk=enquiry.pk).licence is not None
    assert client.get(reverse("enquiry:confirm"), {"token": "nope"}).status_code == 404


def test_the_django_admin_cannot_delete_a_licence_or_link_another_organisations(cast, client):
    from django.contrib.admin.sites import site as admin_site

    from babysteps.licensing.admin import LicenceAdmin, SiteForm

    assert LicenceAdmin(Licence, admin_site).has_delete_permission(None) is False
    other = Licence.objects.create(
        organisation=Organisation.objects.create(name="Elsewhere"), reference="BS-X-1"
    )
    form = SiteForm(
        data={
            "organisation": cast.site_a.organisation_id,
            "name": "Site A",
            "licence": other.pk,
            "nation": "england",
            "offer": "universal",
        },
        instance=cast.site_a,
    )
    assert not form.is_valid() and "licence" in form.errors
    own = SiteForm(
        data={
            "organisation": cast.site_a.organisation_id,
            "name": "Site A",
            "licence": cast.site_a.licence_id,
            "nation": "england",
            "offer": "universal",
        },
        instance=cast.site_a,
    )
    assert own.is_valid(), own.errors


def test_evidence_is_checked_by_its_content(cast, items):
    licence = _confirmed()
    pipeline.licence_step(licence=licence, to=S.READINESS, by=cast.admin)
    with pytest.raises(ValidationError, match="Upload a PDF"):
        pipeline.readiness_confirm(
            licence=licence,
            item=items[0],
            confirmed_by=cast.admin,
            document=SimpleUploadedFile("plan.pdf", b"<script>alert(1)</script>"),
        )
    assert not licence.checks.exists()
