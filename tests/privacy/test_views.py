"""The data-protection pages: subject access from the family page, erasure by two people
(a site manager asks, an NSPCC admin approves; either can cancel first), legal holds."""

import io
import zipfile

import pytest
from django.urls import reverse

from babysteps.audit.models import Action, AuditEvent
from babysteps.families.models import Family, Parent
from babysteps.privacy.models import ErasureRequest, LegalHold

pytestmark = pytest.mark.django_db


def _ask(client, family) -> ErasureRequest | None:
    response = client.post(
        reverse("privacy:erasure_new", args=[family.pk]), {"reason": "the mother asked"}
    )
    assert response.status_code in (302, 422), response.status_code
    return ErasureRequest.objects.filter(family=family).order_by("-pk").first()


def _decide(client, erasure, action: str):
    return client.post(reverse("privacy:erasure_detail", args=[erasure.pk]), {"action": action})


def test_a_manager_exports_everything_held_about_a_family(cast, client_for):
    client = client_for(cast.manager_a)
    url = reverse("privacy:subject_access", args=[cast.family_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"scope": "family"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = set(archive.namelist())
    assert {"subject-access.json", "subject-access.html"} <= names, names
    event = AuditEvent.objects.filter(action=Action.EXPORT, family_id=cast.family_a.pk).get()
    assert (event.actor, event.reason) == (cast.manager_a, "subject access")


def test_a_parent_without_a_partner_recorded_is_refused_clearly(cast, client_for):
    Parent.objects.filter(family=cast.family_a, role="partner").delete()
    url = reverse("privacy:subject_access", args=[cast.family_a.pk])
    response = client_for(cast.manager_a).post(url, {"scope": "partner"})
    assert response.status_code == 422
    assert b"no partner recorded" in response.content
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.parametrize("who", ["midwife_a", "manager_b", "evaluator", "safe_and_well"])
def test_only_the_sites_managers_and_admins_reach_a_familys_rights(cast, client_for, who):
    client = client_for(getattr(cast, who))
    for name in ("privacy:subject_access", "privacy:erasure_new"):
        response = client.get(reverse(name, args=[cast.family_a.pk]))
        assert response.status_code in (403, 404), (name, response.status_code)


def test_erasure_takes_two_people(cast, client_for):
    manager, admin = client_for(cast.manager_a), client_for(cast.admin)
    erasure = _ask(manager, cast.family_a)
    assert erasure is not None and erasure.status == ErasureRequest.Status.REQUESTED

    # The manager who asked cannot approve; nothing is erased.
    assert _decide(manager, erasure, "approve").status_code == 422
    assert Family.objects.get(pk=cast.family_a.pk).anonymised_at is None

    page = admin.get(reverse("privacy:erasure_detail", args=[erasure.pk]))
    assert b'value="approve"' in page.content
    assert _decide(admin, erasure, "approve").status_code == 302
    erasure.refresh_from_db()
    assert (erasure.status, erasure.decided_by) == (ErasureRequest.Status.DONE, cast.admin)
    family = Family.objects.get(pk=cast.family_a.pk)
    assert family.anonymised_at is not None
    assert not Parent.objects.filter(family=family).exclude(given_name="").exists()
    event = AuditEvent.objects.get(action=Action.ERASE, family_id=family.pk)
    assert (event.actor, event.reason) == (cast.admin, "the mother asked")
    assert event.detail["requested_by"] == cast.manager_a.pk


def test_an_admin_cannot_approve_their_own_request(cast, client_for):
    admin = client_for(cast.admin)
    erasure = _ask(admin, cast.family_a)
    response = _decide(admin, erasure, "approve")
    assert response.status_code == 422
    assert b"someone other than the person who asked" in response.content
    assert Family.objects.get(pk=cast.family_a.pk).anonymised_at is None


@pytest.mark.parametrize("canceller", ["manager_a", "admin"])
def test_either_person_can_cancel_before_approval(cast, client_for, canceller):
    erasure = _ask(client_for(cast.manager_a), cast.family_a)
    assert _decide(client_for(getattr(cast, canceller)), erasure, "cancel").status_code == 302
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.CANCELLED
    assert _decide(client_for(cast.admin), erasure, "approve").status_code == 422
    assert Family.objects.get(pk=cast.family_a.pk).anonymised_at is None


def test_a_legal_hold_blocks_erasure_and_says_why(cast, client_for):
    admin, manager = client_for(cast.admin), client_for(cast.manager_a)
    admin.post(reverse("privacy:hold_new", args=[cast.family_a.pk]), {"reason": "a court order"})
    hold = LegalHold.objects.get(family=cast.family_a)
    response = manager.post(
        reverse("privacy:erasure_new", args=[cast.family_a.pk]), {"reason": "asked"}
    )
    assert response.status_code == 422
    assert b"a court order" in response.content
    assert not ErasureRequest.objects.exists()

    # A hold placed after the request blocks the approval too.
    admin.post(reverse("privacy:hold_release", args=[hold.pk]))
    erasure = _ask(manager, cast.family_a)
    admin.post(reverse("privacy:hold_new", args=[cast.family_a.pk]), {"reason": "a complaint"})
    response = _decide(admin, erasure, "approve")
    assert response.status_code == 422
    assert b"a complaint" in response.content
    assert Family.objects.get(pk=cast.family_a.pk).anonymised_at is None


def test_a_manager_cannot_place_or_release_holds(cast, client_for):
    response = client_for(cast.manager_a).post(
        reverse("privacy:hold_new", args=[cast.family_a.pk]), {"reason": "x"}
    )
    assert response.status_code in (403, 404)
    assert not LegalHold.objects.exists()


def test_the_erasure_list_is_scoped_to_the_managers_sites(cast, client_for):
    _ask(client_for(cast.manager_a), cast.family_a)
    _ask(client_for(cast.manager_b), cast.family_b)
    page_a = client_for(cast.manager_a).get(reverse("privacy:erasure_list")).content.decode()
    page_admin = client_for(cast.admin).get(reverse("privacy:erasure_list")).content.decode()
    assert f"Family {cast.family_a.pk}<" in page_a
    assert f"Family {cast.family_b.pk}<" not in page_a
    assert f"Family {cast.family_b.pk}<" in page_admin
