"""The pages: signposting from the family's page, the NSPCC queue and a referral's page,
the site's safeguarding view, the export and the audit trail."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from babysteps.safeguarding.models import (
    CallAttempt,
    ImmediateRiskAction,
    ReferralReason,
    SafeAndWellReferral,
)
from tests.safeguarding.factories import NO_CONSENT_REASON, SUMMARY, make_referral

pytestmark = pytest.mark.django_db


def _signpost_data(family, **changes) -> dict[str, object]:
    data = {
        "parents": [family.mother.pk],
        "reasons": [ReferralReason.objects.get(code="isolation").pk],
        "summary": SUMMARY,
        "urgency": "one_working_day",
        "consent_basis": "given",
        "consent_given_by": "mother",
        "consent_given_on": timezone.localdate().isoformat(),
        "consent_method": "in_person",
        "safe_number": "07700 900461",
        "language": "English",
        "source": "family_page",
    }
    data.update(changes)
    return data


def test_the_family_page_offers_signposting_and_shows_the_outcome(client_for, cast):
    client = client_for(cast.midwife_a)
    family_url = reverse("families:detail", args=[cast.family_a.pk])
    content = client.get(family_url).content.decode()
    assert "Signpost to the NSPCC safe-and-well check" in content
    assert "has not been signposted" in content
    referral = make_referral(cast.family_a, by=cast.midwife_a, claimed_by=cast.safe_and_well)
    from babysteps.safeguarding import services

    services.call_attempt_record(
        referral=referral, made_by=cast.safe_and_well, at=timezone.now(), outcome="spoke"
    )
    services.referral_close(
        note_for_site="Mother spoken to; nothing further for you to do.",
        referral=referral,
        closed_by=cast.safe_and_well,
        outcome="onward_referral",
        onward_to="childrens_social_care",
        onward_reference="CSC-77",
    )
    content = client.get(family_url).content.decode()
    assert f"Referral {referral.pk}" in content
    assert "Onward referral to Children&#x27;s social care (reference CSC-77)" in content
    assert SUMMARY not in content  # the summary stays on the referral's own page


def test_signposting_form_with_consent(client_for, cast):
    client = client_for(cast.support_a)
    url = reverse("safeguarding:signpost", args=[cast.family_a.pk])
    page = client.get(url).content.decode()
    assert "call <strong>999</strong> now" in page
    assert reverse("safeguarding:immediate_risk", args=[cast.family_a.pk]) in page
    response = client.post(url, _signpost_data(cast.family_a))
    referral = SafeAndWellReferral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("safeguarding:referral", args=[referral.pk])
    assert referral.referred_by == cast.support_a and referral.source == "family_page"
    detail = client.get(response["Location"]).content.decode()
    assert SUMMARY in detail and "Withdraw the referral" in detail
    assert "Claim this referral" not in detail


def test_without_consent_the_reason_is_required_and_shown_prominently(client_for, cast):
    client = client_for(cast.manager_a)
    url = reverse("safeguarding:signpost", args=[cast.family_a.pk])
    data = _signpost_data(cast.family_a, consent_basis="refused", consent_given_by="")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Give the safeguarding reason" in response.content.decode()
    assert not SafeAndWellReferral.objects.exists()
    data["no_consent_reason"] = NO_CONSENT_REASON
    response = client.post(url, data)
    referral = SafeAndWellReferral.objects.get()
    for user in (cast.manager_a, cast.safe_and_well):
        content = (
            client_for(user)
            .get(reverse("safeguarding:referral", args=[referral.pk]))
            .content.decode()
        )
        assert "Proceeding without the parent's consent" in content
        assert NO_CONSENT_REASON.replace("'", "&#x27;") in content


def test_signposting_from_a_call_records_the_source(client_for, cast):
    """A call keeps its reference as text (the calls have no model yet); a referral from
    a safety alert is linked to it instead (tests/safeguarding/test_alert_link.py)."""
    client = client_for(cast.midwife_a)
    url = reverse("safeguarding:signpost", args=[cast.family_a.pk])
    page = client.get(url, {"source": "call", "ref": "C-42"})
    assert page.context["form"].initial["source"] == "call"
    assert page.context["form"].initial["source_reference"] == "C-42"
    assert "acknowledge_alert" not in page.context["form"].fields
    client.post(url, _signpost_data(cast.family_a, source="call", source_reference="C-42"))
    referral = SafeAndWellReferral.objects.get()
    assert (referral.source, referral.source_reference, referral.alert) == ("call", "C-42", None)


def test_a_second_open_referral_is_not_offered(client_for, cast):
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    client = client_for(cast.support_a)
    page = client.get(reverse("safeguarding:signpost", args=[cast.family_a.pk])).content.decode()
    assert f"referral {referral.pk}</a>" in page and "Signpost to the NSPCC</button>" not in page
    family = client.get(reverse("families:detail", args=[cast.family_a.pk])).content.decode()
    assert "Signpost to the NSPCC safe-and-well check</a>" not in family


def test_admins_and_the_nspcc_team_do_not_signpost(client_for, cast):
    url = reverse("safeguarding:signpost", args=[cast.family_a.pk])
    assert client_for(cast.admin).get(url).status_code == 403
    assert client_for(cast.safe_and_well).get(url).status_code == 404
    assert client_for(cast.facilitator_a2).get(url).status_code == 404  # not their cohort


def test_the_practitioner_works_the_referral_through_the_page(client_for, cast, settings):
    settings.SAFE_AND_WELL_ATTEMPTS_BEFORE_NOT_REACHED = 2
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    client = client_for(cast.safe_and_well)
    url = reverse("safeguarding:referral", args=[referral.pk])
    page = client.get(url).content.decode()
    assert "Claim this referral" in page and "07700 900461" not in page
    response = client.post(reverse("safeguarding:claim", args=[referral.pk]))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "07700 900461" in page and "Log a call attempt" in page
    assert "Do not leave a voicemail" in page
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    call_url = reverse("safeguarding:call", args=[referral.pk])
    bad = client.post(
        call_url, {"call-at": now, "call-outcome": "spoke", "call-voicemail_left": "on"}
    )
    assert bad.status_code == 200 and "no voicemail was left" in bad.content.decode()
    client.post(call_url, {"call-at": now, "call-outcome": "no_answer"})
    close_url = reverse("safeguarding:close", args=[referral.pk])
    note = {"close-note_for_site": "Mother spoken to and well; nothing for you to do."}
    unsaid = client.post(close_url, {"close-outcome": "safe_and_well"})
    assert unsaid.status_code == 200 and "This field is required" in unsaid.content.decode()
    bad = client.post(close_url, {"close-outcome": "safe_and_well", **note})
    assert "Log the call in which you spoke" in bad.content.decode()
    client.post(call_url, {"call-at": now, "call-outcome": "spoke", "call-note": "All well."})
    response = client.post(
        close_url,
        {"close-outcome": "safe_and_well", "close-outcome_notes": "Team only: x", **note},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("closed", "safe_and_well")
    assert CallAttempt.objects.filter(referral=referral).count() == 2
    page = client.get(url).content.decode()
    assert "Outcome: Safe and well" in page and "Log a call attempt" not in page
    # The referring site sees the outcome with the note meant for it, not the team's own.
    site = client_for(cast.midwife_a)
    site_page = site.get(url).content.decode()
    assert "Mother spoken to and well; nothing for you to do." in site_page
    assert "Team only: x" not in site_page and "Team only: x" in page
    family_page = site.get(reverse("families:detail", args=[cast.family_a.pk])).content.decode()
    assert "Mother spoken to and well; nothing for you to do." in family_page


def test_site_staff_cannot_work_the_referral(client_for, cast):
    referral = make_referral(cast.family_a, by=cast.midwife_a, claimed_by=cast.safe_and_well)
    client = client_for(cast.manager_a)
    for name, data in (
        ("claim", {}),
        ("call", {"call-at": "2026-01-01T10:00", "call-outcome": "spoke"}),
        ("close", {"close-outcome": "declined"}),
        ("assign", {"assign-user": cast.safe_and_well.pk}),
    ):
        response = client.post(reverse(f"safeguarding:{name}", args=[referral.pk]), data)
        assert response.status_code == 403, name
    assert not CallAttempt.objects.exists()


def test_the_lead_assigns_through_the_page(client_for, cast, lead, other_practitioner):
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    client = client_for(lead)
    page = client.get(reverse("safeguarding:referral", args=[referral.pk])).content.decode()
    assert "Give it to this person" in page
    response = client.post(
        reverse("safeguarding:assign", args=[referral.pk]), {"assign-user": other_practitioner.pk}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.claimed_by == other_practitioner
    bad = client.post(
        reverse("safeguarding:assign", args=[referral.pk]), {"assign-user": cast.midwife_a.pk}
    )
    assert "Choose a member of the safe-and-well team" in bad.content.decode()


def test_the_site_withdraws_with_a_reason(client_for, cast):
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    client = client_for(cast.midwife_a)
    url = reverse("safeguarding:withdraw", args=[referral.pk])
    page = client.get(reverse("safeguarding:referral", args=[referral.pk])).content.decode()
    assert 'data-confirm="Withdraw this referral?' in page
    assert client.get(url).status_code == 405
    bad = client.post(url, {"withdraw-withdrawal_reason": ""})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()
    client.post(url, {"withdraw-withdrawal_reason": "Seen by the GP today."})
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    assert (
        client_for(cast.safe_and_well)
        .get(reverse("safeguarding:referral", args=[referral.pk]))
        .status_code
        == 404
    )  # it left the queue unclaimed


def test_the_queue_is_sorted_by_due_by_and_shows_no_names(client_for, cast, lead):
    later = make_referral(cast.family_a, by=cast.midwife_a, urgency="five_working_days")
    sooner = make_referral(cast.family_b, by=cast.facilitator_b, urgency="same_day")
    response = client_for(cast.safe_and_well).get(reverse("safeguarding:queue"))
    rows = response.context["rows"]
    assert [r.id for r in rows] == [sooner.pk, later.pk]
    content = response.content.decode()
    for family in (cast.family_a, cast.family_b):
        assert family.mother.given_name not in content
        assert family.mother.family_name not in content
    assert "Site A" in content and "Site B" in content
    lead_page = client_for(lead).get(reverse("safeguarding:queue"), {"tab": "team"})
    assert lead_page.status_code == 200 and "Held by the team" in lead_page.content.decode()
    mine = client_for(cast.safe_and_well).get(reverse("safeguarding:queue"), {"tab": "team"})
    assert mine.context["tab"] == "waiting"  # only the lead has the team tab
    assert client_for(cast.midwife_a).get(reverse("safeguarding:queue")).status_code == 403


def test_the_site_safeguarding_view(client_for, cast):
    from babysteps.safeguarding.models import SafeAndWellReferral as Referral

    overdue = make_referral(cast.family_a, by=cast.midwife_a, urgency="same_day")
    Referral.objects.filter(pk=overdue.pk).update(
        due_by=timezone.now() - timedelta(hours=2),
        referred_at=timezone.now() - timedelta(days=3),
    )
    held = make_referral(cast.family_a2, by=cast.facilitator_a2, claimed_by=cast.safe_and_well)
    make_referral(cast.family_b, by=cast.facilitator_b)
    response = client_for(cast.manager_a).get(reverse("safeguarding:overview"))
    content = response.content.decode()
    assert [r.id for r in response.context["rows"]] == [overdue.pk, held.pk]
    assert "Overdue" in content and "3\xa0days ago" in content
    assert "Safe And Well" in content  # who holds it
    assert cast.family_b.mother.given_name not in content
    assert "Download all (CSV)" in content
    facilitator = client_for(cast.midwife_a).get(reverse("safeguarding:overview"))
    assert [r.id for r in facilitator.context["rows"]] == [overdue.pk]
    assert "Download all (CSV)" not in facilitator.content.decode()
    assert client_for(cast.safe_and_well).get(reverse("safeguarding:overview")).status_code == 403


def test_home_pages_link_to_the_queue_and_the_view(client_for, cast, lead):
    make_referral(cast.family_a, by=cast.midwife_a)
    team = client_for(cast.safe_and_well).get(reverse("home:index")).content.decode()
    assert "Waiting to be claimed" in team and reverse("safeguarding:queue") in team
    assert "No referrals have been made to you" not in team
    assert "Waiting to be claimed" in client_for(lead).get(reverse("home:index")).content.decode()
    manager = client_for(cast.manager_a).get(reverse("home:index")).content.decode()
    assert reverse("safeguarding:overview") in manager
    other = client_for(cast.facilitator_b).get(reverse("home:index")).content.decode()
    assert reverse("safeguarding:overview") not in other  # nothing open for them


def test_export_is_for_managers_and_names_nobody(client_for, cast):
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    make_referral(cast.family_b, by=cast.facilitator_b)
    response = client_for(cast.manager_a).get(reverse("safeguarding:export"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "referral" and [r[0] for r in rows[1:]] == [str(referral.pk)]
    assert SUMMARY not in response.content.decode()
    assert cast.family_a.mother.given_name not in response.content.decode()
    assert client_for(cast.midwife_a).get(reverse("safeguarding:export")).status_code == 403


def test_audit_trail_page(client_for, cast, lead):
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    client_for(cast.safe_and_well).get(reverse("safeguarding:referral", args=[referral.pk]))
    url = reverse("safeguarding:audit", args=[referral.pk])
    content = client_for(cast.manager_a).get(url).content.decode()
    assert "Safe And Well" in content and "Viewed" in content and "Created" in content
    assert client_for(lead).get(url).status_code == 200
    assert client_for(cast.admin).get(url).status_code == 200
    assert client_for(cast.midwife_a).get(url).status_code == 403


def test_immediate_risk_is_recorded_on_the_family(client_for, cast):
    client = client_for(cast.midwife_a)
    url = reverse("safeguarding:immediate_risk", args=[cast.family_a.pk])
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    bad = client.post(url, {"occurred_at": now})
    assert "Say what was done" in bad.content.decode()
    response = client.post(url, {"occurred_at": now, "called_999": "on", "reference": "INC-9"})
    assert response.status_code == 302
    assert ImmediateRiskAction.objects.get().called_999
    family = client.get(reverse("families:detail", args=[cast.family_a.pk])).content.decode()
    assert "999 called" in family and "INC-9" in family
    assert not SafeAndWellReferral.objects.exists()


def test_nspcc_admins_edit_the_reasons_in_the_django_admin(client_for, cast):
    client = client_for(cast.admin)
    assert client.get("/admin/safeguarding/referralreason/").status_code == 200
    response = client.post(
        "/admin/safeguarding/referralreason/add/",
        {"code": "bereavement", "label": "Bereavement", "order": 95, "active": "on"},
    )
    assert response.status_code == 302
    assert ReferralReason.objects.get(code="bereavement").active
    reason = ReferralReason.objects.get(code="isolation")
    assert client.get(f"/admin/safeguarding/referralreason/{reason.pk}/delete/").status_code == 403
    # A retired reason is no longer offered, but stays on the referrals that named it.
    referral = make_referral(cast.family_a, by=cast.midwife_a, reasons=("isolation",))
    ReferralReason.objects.filter(pk=reason.pk).update(active=False)
    form = client_for(cast.facilitator_b).get(
        reverse("safeguarding:signpost", args=[cast.family_b.pk])
    )
    assert reason not in form.context["form"].fields["reasons"].queryset
    assert list(referral.reasons.all()) == [reason]
    assert client_for(cast.manager_a).get("/admin/safeguarding/referralreason/").status_code == 302


def test_the_referrals_export_neutralises_formula_cells(client_for, cast):
    from babysteps.licensing.models import Site

    make_referral(cast.family_a, by=cast.midwife_a)
    Site.objects.filter(pk=cast.site_a.pk).update(name="=cmd|' /C calc'!A0")
    response = client_for(cast.manager_a).get(reverse("safeguarding:export"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
