"""Signposting from a safety alert: the referral points at the alert (service, page and
API), the alert is reached only through its chokepoint, an alert of another family or
site is refused without a leak, and the alert's page shows the referral's status in the
page's one read event."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from babysteps.alerts.models import Alert
from babysteps.alerts.services import alert_acknowledge
from babysteps.audit.models import Action, AuditEvent
from babysteps.safeguarding import selectors, services
from babysteps.safeguarding.alert_links import link_alert_referrals, unlink_alert_referrals
from babysteps.safeguarding.models import ReferralReason, SafeAndWellReferral
from tests.factories import ParentFactory
from tests.measures.helpers import epds_positions, record
from tests.safeguarding.factories import SUMMARY, make_referral

pytestmark = pytest.mark.django_db


def _alert(family, by=None) -> Alert:
    """An open EPDS item-10 alert (recorded by ``by``, else by the parent in the portal)."""
    mode = "in_person" if by is not None else "portal"
    return record(family, by, mode=mode, answers=epds_positions(item_10=1)).alerts[0]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _new_events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id")[before:])


def _errors(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- The service -------------------------------------------------------------------------


def test_a_referral_from_an_alert_points_at_it(cast):
    alert = _alert(cast.family_a, cast.midwife_a)
    referral = make_referral(cast.family_a, by=cast.midwife_a, alert=alert)
    referral.refresh_from_db()
    assert (referral.alert, referral.source, referral.source_reference) == (alert, "alert", "")
    assert list(alert.referrals.all()) == [referral]
    created = AuditEvent.objects.get(object_type="referral", action=Action.CREATE)
    assert {"alert", "source"} <= set(created.detail["fields"])
    alert.refresh_from_db()
    assert alert.is_open  # signposting alone does not acknowledge the alert


def test_an_alert_of_another_family_is_a_field_error_and_nothing_is_saved(cast):
    other = _alert(cast.family_a2, cast.facilitator_a2)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        make_referral(cast.family_a, by=cast.manager_a, alert=other)
    assert "another family" in _errors(exc)["alert"][0]
    assert not SafeAndWellReferral.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("with_alert", "changes", "field"),
    [
        (False, {"source": "alert"}, "alert"),
        (True, {"source": "call"}, "source"),
        (True, {"source_reference": "42"}, "source_reference"),
        (False, {"acknowledge_alert": True}, "acknowledge_alert"),
    ],
)
def test_the_source_and_the_alert_agree(cast, with_alert, changes, field):
    alert = _alert(cast.family_a, cast.midwife_a) if with_alert else None
    with pytest.raises(ValidationError) as exc:
        make_referral(cast.family_a, by=cast.midwife_a, alert=alert, **changes)
    assert field in _errors(exc)
    assert not SafeAndWellReferral.objects.exists()


def test_signposting_can_acknowledge_the_alert_in_the_same_transaction(cast):
    alert = _alert(cast.family_a, cast.midwife_a)
    referral = make_referral(cast.family_a, by=cast.support_a, alert=alert, acknowledge_alert=True)
    alert.refresh_from_db()
    assert not alert.is_open and alert.acknowledged_by == cast.support_a
    assert alert.action_taken == services.SIGNPOSTED_ACTION.format(id=referral.pk)
    assert alert.escalation == Alert.Escalation.NOT_NEEDED
    assert AuditEvent.objects.filter(
        object_type="alert", object_id=str(alert.pk), action=Action.ACKNOWLEDGE
    ).exists()


def test_an_acknowledged_alert_cannot_be_acknowledged_again(cast):
    alert = _alert(cast.family_a, cast.midwife_a)
    alert_acknowledge(
        alert=alert, acknowledged_by=cast.manager_a, action_taken="Called the mother today."
    )
    with pytest.raises(ValidationError) as exc:
        make_referral(cast.family_a, by=cast.midwife_a, alert=alert, acknowledge_alert=True)
    assert "already been acknowledged" in _errors(exc)["acknowledge_alert"][0]
    assert not SafeAndWellReferral.objects.exists()
    # Without the acknowledgement, an acknowledged alert can still be signposted from.
    assert make_referral(cast.family_a, by=cast.midwife_a, alert=alert).alert == alert


def test_if_someone_acknowledges_first_the_referral_is_not_saved_either(cast):
    alert = _alert(cast.family_a, cast.midwife_a)
    stale = Alert.objects.get(pk=alert.pk)  # still open as far as this request knows
    alert_acknowledge(
        alert=alert, acknowledged_by=cast.manager_a, action_taken="Called the mother today."
    )
    with pytest.raises(ValidationError) as exc:
        make_referral(cast.family_a, by=cast.midwife_a, alert=stale, acknowledge_alert=True)
    assert "acknowledge_alert" in _errors(exc)
    assert not SafeAndWellReferral.objects.exists()
    assert not AuditEvent.objects.filter(object_type="referral").exists()
    alert.refresh_from_db()
    assert alert.acknowledged_by == cast.manager_a


def test_the_database_keeps_an_alert_referral_sourced_from_the_alert(cast):
    referral = make_referral(cast.family_a, by=cast.midwife_a, alert=_alert(cast.family_a))
    with pytest.raises(IntegrityError), transaction.atomic():
        SafeAndWellReferral.objects.filter(pk=referral.pk).update(source="call")


def test_an_alert_with_a_referral_is_not_deleted_with_its_questionnaire(cast):
    from django.db.models import ProtectedError

    alert = _alert(cast.family_a)
    make_referral(cast.family_a, by=cast.midwife_a, alert=alert)
    with pytest.raises(ProtectedError):
        alert.administration.delete()


def test_referrals_made_before_the_link_are_linked_by_the_migration(cast):
    """The data migration's function: a referral whose reference names an alert of its
    own family is linked; anything else is left as it was."""
    own = _alert(cast.family_a)
    elsewhere = _alert(cast.family_b)
    linked = make_referral(cast.family_a, by=cast.midwife_a, alert=own)
    wrong_family = make_referral(
        cast.family_a2, by=cast.facilitator_a2, alert=_alert(cast.family_a2)
    )
    odd = make_referral(cast.family_b, by=cast.facilitator_b, alert=elsewhere)
    old = SafeAndWellReferral.objects.filter
    old(pk=linked.pk).update(alert=None, source_reference=f"#{own.pk}")
    old(pk=wrong_family.pk).update(alert=None, source_reference=str(elsewhere.pk))
    old(pk=odd.pk).update(alert=None, source_reference="from the EPDS")
    assert link_alert_referrals(SafeAndWellReferral, Alert) == 1
    rows = {r.pk: (r.alert_id, r.source_reference) for r in SafeAndWellReferral.objects.all()}
    assert rows == {
        linked.pk: (own.pk, ""),
        wrong_family.pk: (None, str(elsewhere.pk)),
        odd.pk: (None, "from the EPDS"),
    }
    unlink_alert_referrals(SafeAndWellReferral)
    assert SafeAndWellReferral.objects.get(pk=linked.pk).source_reference == str(own.pk)


# --- The signposting page ------------------------------------------------------------------


def _form_data(family, **changes) -> dict[str, object]:
    data = {
        "parents": [family.mother.pk],
        "reasons": [ReferralReason.objects.get(code="low_mood").pk],
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


def _signpost_url(family, alert=None) -> str:
    url = reverse("safeguarding:signpost", args=[family.pk])
    return f"{url}?source=alert&ref={alert.pk}" if alert is not None else url


def test_from_the_alert_page_to_a_linked_referral_and_back(cast):
    alert = _alert(cast.family_a, cast.midwife_a)
    client = _client(cast.midwife_a)
    alert_url = reverse("alerts:detail", args=[alert.pk])
    page = client.get(alert_url).content.decode()
    signpost_url = _signpost_url(cast.family_a, alert)
    assert signpost_url.replace("&", "&amp;") in page
    assert "No referral to the NSPCC safe-and-well check has been made from this alert" in page

    before = AuditEvent.objects.count()
    response = client.get(signpost_url)
    assert response.status_code == 200
    form = response.context["form"]
    assert (form.initial["source"], form.initial["alert"]) == ("alert", alert.pk)
    assert "acknowledge_alert" in form.fields
    assert f"From safety alert {alert.pk}" in response.content.decode()
    # One read event for the page: the family's, naming the alert it showed.
    (event,) = _new_events(before)
    assert (event.action, event.object_type, event.family_id) == (
        Action.VIEW,
        "family",
        cast.family_a.pk,
    )
    assert event.detail["shown"] == {"alert": [alert.pk]}

    response = client.post(signpost_url, _form_data(cast.family_a, source="alert", alert=alert.pk))
    referral = SafeAndWellReferral.objects.get()
    assert response.status_code == 302 and referral.alert == alert
    detail = client.get(response["Location"]).content.decode()
    assert f'href="{alert_url}"' in detail

    before = AuditEvent.objects.count()
    page = client.get(alert_url).content.decode()
    assert f"Referral {referral.pk}" in page and "Waiting to be claimed" in page
    assert "The alert itself is still open" in page
    assert signpost_url.replace("&", "&amp;") not in page  # an open referral: not again
    # One read event for the alert's page, naming the referral whose status it showed.
    (event,) = _new_events(before)
    assert (event.action, event.object_type, event.object_id) == (
        Action.VIEW,
        "alert",
        str(alert.pk),
    )
    assert event.detail["shown"] == {"referral": [referral.pk]}
    # ... and the referral's audit trail lists that view of the alert's page.
    trail = selectors.referral_audit_events(referral_id=referral.pk)
    assert trail.filter(pk=event.pk).exists()


def test_the_alert_page_shows_a_closed_referrals_outcome(cast):
    alert = _alert(cast.family_a, cast.midwife_a)
    referral = make_referral(
        cast.family_a, by=cast.midwife_a, alert=alert, claimed_by=cast.safe_and_well
    )
    services.call_attempt_record(
        referral=referral, made_by=cast.safe_and_well, at=timezone.now(), outcome="spoke"
    )
    services.referral_close(
        note_for_site="Mother spoken to; nothing further for you to do.",
        referral=referral,
        closed_by=cast.safe_and_well,
        outcome="support_accepted",
    )
    page = _client(cast.manager_a).get(reverse("alerts:detail", args=[alert.pk]))
    content = page.content.decode()
    assert "Support offered and accepted" in content and SUMMARY not in content
    # Closed: the alert can be signposted from again.
    assert _signpost_url(cast.family_a, alert).replace("&", "&amp;") in content


def test_signposting_can_acknowledge_the_alert_from_the_page(cast):
    alert = _alert(cast.family_a, cast.midwife_a)
    client = _client(cast.manager_a)
    data = _form_data(cast.family_a, source="alert", alert=alert.pk, acknowledge_alert="on")
    response = client.post(_signpost_url(cast.family_a, alert), data)
    assert response.status_code == 302
    alert.refresh_from_db()
    referral = SafeAndWellReferral.objects.get()
    assert alert.acknowledged_by == cast.manager_a and f"referral {referral.pk}" in (
        alert.action_taken
    )
    # An acknowledged alert is not offered for acknowledging again.
    page = client.get(_signpost_url(cast.family_a, alert))
    assert "acknowledge_alert" not in page.context["form"].fields


@pytest.mark.parametrize("ref", ["site_b", "unknown", "not-a-number"])
def test_an_alert_out_of_scope_in_the_link_is_404_and_reads_nothing(cast, ref):
    alert_b = _alert(cast.family_b)
    refs = {"site_b": alert_b.pk, "unknown": 987654321, "not-a-number": "x1"}
    url = reverse("safeguarding:signpost", args=[cast.family_a.pk])
    before = AuditEvent.objects.count()
    response = _client(cast.midwife_a).get(url, {"source": "alert", "ref": refs[ref]})
    assert response.status_code == 404
    assert b"Bella" not in response.content
    # Not even the family's read: the page was refused as a whole.
    assert AuditEvent.objects.count() == before


def test_another_familys_alert_is_refused_with_a_clear_message(cast):
    """The manager may see both families; the alert of the other one is not linked, and
    nothing of it is shown on this family's form."""
    other = _alert(cast.family_a2, cast.facilitator_a2)
    client = _client(cast.manager_a)
    response = client.get(_signpost_url(cast.family_a, other))
    content = response.content.decode()
    assert response.status_code == 200
    assert "is about another family" in content and other.detail not in content
    assert "alert" not in response.context["form"].initial
    assert "acknowledge_alert" not in response.context["form"].fields
    event = AuditEvent.objects.order_by("id").last()
    assert "shown" not in event.detail  # the other family's alert was not shown

    response = client.post(
        reverse("safeguarding:signpost", args=[cast.family_a.pk]),
        _form_data(cast.family_a, source="alert", alert=other.pk),
    )
    assert response.status_code == 200
    assert "That alert is about another family" in str(response.context["form"].errors["alert"])
    assert not SafeAndWellReferral.objects.exists()


def test_an_alert_number_outside_your_scope_reads_as_unknown(cast):
    alert_b = _alert(cast.family_b)
    client = _client(cast.midwife_a)
    url = reverse("safeguarding:signpost", args=[cast.family_a.pk])
    errors = []
    for number in (alert_b.pk, 987654321):
        response = client.post(url, _form_data(cast.family_a, source="alert", alert=number))
        assert response.status_code == 200
        errors.append(response.context["form"].errors["alert"])
    assert errors[0] == errors[1] == ["There is no safety alert with that number for you."]
    assert not SafeAndWellReferral.objects.exists()
    assert (
        not AuditEvent.objects.filter(object_type="alert", object_id=str(alert_b.pk))
        .exclude(action=Action.CREATE)
        .exists()
    )


@pytest.mark.parametrize(
    ("viewer", "link"),
    [
        ("midwife_a", True),
        ("support_a", True),
        ("manager_a", True),
        ("admin", False),  # NSPCC admins see alerts but do not signpost
    ],
)
def test_who_is_offered_the_signposting_action(cast, viewer, link):
    alert = _alert(cast.family_a)
    content = _client(getattr(cast, viewer)).get(reverse("alerts:detail", args=[alert.pk]))
    assert content.status_code == 200
    assert (
        _signpost_url(cast.family_a, alert).replace("&", "&amp;") in content.content.decode()
    ) is link


@pytest.mark.parametrize("viewer", ["facilitator_a2", "manager_b", "facilitator_b"])
def test_nobody_outside_scope_reaches_the_alert_or_its_referral(cast, viewer):
    alert = _alert(cast.family_a)
    referral = make_referral(cast.family_a, by=cast.midwife_a, alert=alert)
    client = _client(getattr(cast, viewer))
    before = AuditEvent.objects.count()
    assert client.get(reverse("alerts:detail", args=[alert.pk])).status_code == 404
    assert client.get(_signpost_url(cast.family_a, alert)).status_code == 404
    assert client.get(reverse("safeguarding:referral", args=[referral.pk])).status_code == 404
    assert AuditEvent.objects.count() == before


def test_the_nspcc_team_sees_the_source_but_not_the_alert(cast):
    alert = _alert(cast.family_a)
    referral = make_referral(cast.family_a, by=cast.midwife_a, alert=alert)
    client = _client(cast.safe_and_well)
    page = client.get(reverse("safeguarding:referral", args=[referral.pk])).content.decode()
    assert "A safety alert" in page
    assert reverse("alerts:detail", args=[alert.pk]) not in page
    assert client.get(reverse("alerts:detail", args=[alert.pk])).status_code == 404
    assert client.get(f"/api/v1/referrals/{referral.pk}").json()["alert"] is None
    assert _client(cast.manager_a).get(f"/api/v1/referrals/{referral.pk}").json()["alert"] == (
        alert.pk
    )


# --- The API -------------------------------------------------------------------------------


def _body(family, **changes) -> dict[str, object]:
    body = {
        "family": family.pk,
        "parents": ["mother"],
        "reasons": ["low_mood"],
        "summary": SUMMARY,
        "urgency": "one_working_day",
        "consent_basis": "given",
        "consent_given_by": "mother",
        "consent_given_on": timezone.localdate().isoformat(),
        "consent_method": "phone",
        "safe_number": "07700 900461",
    }
    body.update(changes)
    return body


def _post(client: Client, body: dict) -> object:
    return client.post("/api/v1/referrals", body, content_type="application/json")


def test_the_api_signposts_from_an_alert(cast):
    alert = _alert(cast.family_a)
    response = _post(_client(cast.support_a), _body(cast.family_a, alert=alert.pk))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["alert"], data["source"], data["source_reference"]) == (alert.pk, "alert", "")
    assert SafeAndWellReferral.objects.get().alert == alert


def test_the_api_can_acknowledge_the_alert(cast):
    alert = _alert(cast.family_a)
    body = _body(cast.family_a, alert=alert.pk, acknowledge_alert=True)
    assert _post(_client(cast.midwife_a), body).status_code == 201
    alert.refresh_from_db()
    assert alert.acknowledged_by == cast.midwife_a


def test_the_api_refuses_another_familys_alert_with_a_field_error(cast):
    other = _alert(cast.family_a2)
    response = _post(_client(cast.manager_a), _body(cast.family_a, alert=other.pk))
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "alert"] and "another family" in error["msg"]
    assert not SafeAndWellReferral.objects.exists()


def test_the_api_reads_an_alert_of_another_site_as_unknown(cast):
    alert_b = _alert(cast.family_b)
    client = _client(cast.midwife_a)
    bodies = [
        _post(client, _body(cast.family_a, alert=number)).json()
        for number in (alert_b.pk, 987654321)
    ]
    assert (
        bodies[0]
        == bodies[1]
        == {"detail": [{"loc": ["body", "alert"], "msg": "Unknown alert.", "type": "value_error"}]}
    )
    assert not SafeAndWellReferral.objects.exists()


def test_the_api_needs_the_alert_for_the_alert_source(cast):
    response = _post(_client(cast.midwife_a), _body(cast.family_a, source="alert"))
    assert response.status_code == 422
    assert ["body", "alert"] in [e["loc"] for e in response.json()["detail"]]
    response = _post(
        _client(cast.midwife_a), _body(cast.family_a, source="call", source_reference="C-1")
    )
    assert response.status_code == 201 and response.json()["alert"] is None


def test_the_alert_page_runs_a_fixed_number_of_queries(cast):
    alert = _alert(cast.family_a, cast.midwife_a)
    client = _client(cast.manager_a)
    url = reverse("alerts:detail", args=[alert.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_referral(cast.family_a, by=cast.midwife_a, alert=alert)
    one = queries()
    for _ in range(3):
        services.referral_withdraw(
            referral=SafeAndWellReferral.objects.get(status="open"),
            withdrawn_by=cast.manager_a,
            reason="Made in error.",
        )
        make_referral(cast.family_a, by=cast.midwife_a, alert=alert)
    assert alert.referrals.count() == 4
    assert queries() == one


def test_signposting_from_an_alert_fills_in_the_parent_and_her_own_number(cast):
    mother = cast.family_a.mother
    ParentFactory(family=cast.family_a, role="partner", mobile="07700 900777")
    type(mother).objects.filter(pk=mother.pk).update(mobile="07700 900123")
    alert = _alert(cast.family_a, cast.midwife_a)
    assert alert.parent_id == cast.family_a.mother.pk
    response = _client(cast.midwife_a).get(_signpost_url(cast.family_a, alert))
    form = response.context["form"]
    assert form.initial["parents"] == [cast.family_a.mother.pk]
    assert form.initial["safe_number"] == "07700 900123"  # hers, never the partner's
    page = response.content.decode()
    assert 'value="07700 900123"' in page  # shown in the field, to confirm or change
    # Without an alert nothing is assumed about who is concerned.
    plain = _client(cast.midwife_a).get(_signpost_url(cast.family_a)).context["form"]
    assert "parents" not in plain.initial and not plain.initial.get("safe_number")
