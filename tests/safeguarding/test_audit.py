"""Every read of a referral writes exactly one audit event, every change one; free text
never reaches the audit trail, the logs or an error report."""

import logging
import sys

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.views.debug import ExceptionReporter

from babysteps.audit.models import Action, AuditEvent
from babysteps.safeguarding.models import ReferralReason
from tests.safeguarding.factories import NO_CONSENT_REASON, SUMMARY, make_referral

pytestmark = pytest.mark.django_db
CALL_NOTE = "She whispered that he was in the next room."
OUTCOME_NOTE = "Agreed a code word for future calls."
WITHDRAWAL = "Family disclosed to the GP, who referred on."
SAFE_TIMES = "Never when Dave's van is outside."
FREE_TEXT = (SUMMARY, NO_CONSENT_REASON, CALL_NOTE, OUTCOME_NOTE, WITHDRAWAL, SAFE_TIMES)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _new_events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id")[before:])


READS = [
    ("page", lambda r: reverse("safeguarding:referral", args=[r.pk]), "web", "referral page"),
    ("api", lambda r: f"/api/v1/referrals/{r.pk}", "api", "API referral"),
    ("api holder", lambda r: f"/api/v1/referrals/{r.pk}/holder", "api", "API holder"),
    ("api calls", lambda r: f"/api/v1/referrals/{r.pk}/calls", "api", "API calls"),
    ("api outcome", lambda r: f"/api/v1/referrals/{r.pk}/outcome", "api", "API outcome"),
    ("api withdrawal", lambda r: f"/api/v1/referrals/{r.pk}/withdrawal", "api", "API withdrawal"),
    ("audit page", lambda r: reverse("safeguarding:audit", args=[r.pk]), "web", "audit trail"),
    ("api audit", lambda r: f"/api/v1/referrals/{r.pk}/audit", "api", "API audit trail"),
]


@pytest.mark.parametrize(("name", "url", "channel", "reason"), READS, ids=[r[0] for r in READS])
@pytest.mark.parametrize("viewer", ["manager_a", "safe_and_well"])
def test_every_read_writes_exactly_one_event(cast, viewer, name, url, channel, reason):
    referral = make_referral(cast.family_a, by=cast.midwife_a, claimed_by=cast.safe_and_well)
    user = getattr(cast, viewer)
    before = AuditEvent.objects.count()
    response = _client(user).get(url(referral))
    if "audit" in name and viewer == "safe_and_well":
        assert response.status_code == 403  # found (and audited), then refused
    else:
        assert response.status_code == 200
    assert [
        (e.action, e.object_type, e.object_id, e.family_id, e.actor_id, e.channel, e.reason)
        for e in _new_events(before)
    ] == [(Action.VIEW, "referral", str(referral.pk), cast.family_a.pk, user.pk, channel, reason)]


def test_an_export_writes_one_event_per_referral(cast):
    first = make_referral(cast.family_a, by=cast.midwife_a)
    second = make_referral(cast.family_a2, by=cast.facilitator_a2)
    make_referral(cast.family_b, by=cast.facilitator_b)
    before = AuditEvent.objects.count()
    _client(cast.manager_a).get(reverse("safeguarding:export"))
    assert sorted((e.action, e.object_id) for e in _new_events(before)) == [
        (Action.EXPORT, str(first.pk)),
        (Action.EXPORT, str(second.pk)),
    ]


def test_lists_write_one_list_event_naming_the_referrals(cast):
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    for user, url in (
        (cast.manager_a, reverse("safeguarding:overview")),
        (cast.safe_and_well, reverse("safeguarding:queue")),
        (cast.safe_and_well, "/api/v1/referrals"),
    ):
        before = AuditEvent.objects.count()
        _client(user).get(url)
        events = _new_events(before)
        assert [(e.action, e.detail["referral_ids"]) for e in events] == [
            (Action.LIST, [referral.pk])
        ]
        assert events[0].reason


def test_refused_reads_write_nothing_about_the_referral(cast):
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    before = AuditEvent.objects.count()
    for user in (cast.facilitator_b, cast.manager_b, cast.evaluator, cast.facilitator_a2):
        _client(user).get(reverse("safeguarding:referral", args=[referral.pk]))
        _client(user).get(f"/api/v1/referrals/{referral.pk}")
    assert AuditEvent.objects.count() == before


def test_every_change_writes_one_event_with_field_names_only(cast, lead):
    client = _client(cast.midwife_a)
    reason = ReferralReason.objects.get(code="domestic_abuse")
    before = AuditEvent.objects.count()
    client.post(
        reverse("safeguarding:signpost", args=[cast.family_a.pk]),
        {
            "parents": [cast.family_a.mother.pk],
            "reasons": [reason.pk],
            "summary": SUMMARY,
            "urgency": "same_day",
            "consent_basis": "not_sought",
            "no_consent_reason": NO_CONSENT_REASON,
            "safe_number": "07700 900461",
            "safe_times_notes": SAFE_TIMES,
            "language": "English",
            "source": "family_page",
        },
    )
    [created] = _new_events(before)
    referral_id = int(created.object_id)
    assert created.action == Action.CREATE
    team = _client(cast.safe_and_well)
    steps = [
        (team, "claim", {}),
        (
            team,
            "call",
            {
                "call-at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "call-outcome": "spoke",
                "call-note": CALL_NOTE,
            },
        ),
        (
            team,
            "close",
            {
                "close-outcome": "safe_and_well",
                "close-outcome_notes": OUTCOME_NOTE,
                "close-note_for_site": "Spoken to; nothing further.",
            },
        ),
    ]
    for actor, name, data in steps:
        before = AuditEvent.objects.count()
        response = actor.post(reverse(f"safeguarding:{name}", args=[referral_id]), data)
        assert response.status_code == 302, name
        [event] = _new_events(before)
        assert (event.action, event.object_id) == (Action.CHANGE, str(referral_id)), name
    trail = AuditEvent.objects.filter(object_type="referral", object_id=str(referral_id))
    for event in trail:
        for text in FREE_TEXT:
            assert text not in str(event.detail) and text not in event.reason


def test_free_text_never_reaches_the_logs(cast, caplog, lead):
    """The whole loop, with a validation error on each form and an API 422, at DEBUG."""
    caplog.set_level(logging.DEBUG)
    site = _client(cast.midwife_a)
    url = reverse("safeguarding:signpost", args=[cast.family_a.pk])
    data = {
        "parents": [cast.family_a.mother.pk],
        "reasons": [ReferralReason.objects.get(code="low_mood").pk],
        "summary": SUMMARY,
        "urgency": "one_working_day",
        "consent_basis": "refused",
        "no_consent_reason": "",
        "safe_number": "07700 900461",
        "safe_times_notes": SAFE_TIMES,
        "language": "English",
        "source": "family_page",
    }
    assert site.post(url, data).status_code == 200  # the reason is missing
    data["no_consent_reason"] = NO_CONSENT_REASON
    referral_id = int(site.post(url, data)["Location"].rstrip("/").split("/")[-1])
    api = Client()
    api.force_login(cast.midwife_a)
    api.post(
        "/api/v1/referrals",
        {"family": cast.family_a.pk, "summary": SUMMARY, "no_consent_reason": NO_CONSENT_REASON},
        content_type="application/json",
    )
    team = _client(cast.safe_and_well)
    team.post(reverse("safeguarding:claim", args=[referral_id]))
    call = reverse("safeguarding:call", args=[referral_id])
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    team.post(
        call, {"call-at": "2001-01-01T10:00", "call-outcome": "spoke", "call-note": CALL_NOTE}
    )
    team.post(call, {"call-at": now, "call-outcome": "spoke", "call-note": CALL_NOTE})
    close = reverse("safeguarding:close", args=[referral_id])
    team.post(close, {"close-outcome": "not_reached", "close-outcome_notes": OUTCOME_NOTE})
    team.post(close, {"close-outcome": "declined", "close-outcome_notes": OUTCOME_NOTE})
    referral = make_referral(cast.family_a2, by=cast.facilitator_a2)
    withdraw = reverse("safeguarding:withdraw", args=[referral.pk])
    _client(cast.facilitator_a2).post(withdraw, {"withdraw-withdrawal_reason": "x" * 1001})
    _client(cast.facilitator_a2).post(withdraw, {"withdraw-withdrawal_reason": WITHDRAWAL})
    assert caplog.records, "nothing was logged: the test would prove nothing"
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for text in FREE_TEXT:
        assert text not in logged


def test_free_text_stays_out_of_logs_and_error_reports_when_something_breaks(
    cast, caplog, monkeypatch
):
    """An unexpected exception while signposting: a 500, logged with its traceback, and
    the error report (as emailed to admins) carries neither the posted nor the local
    free text."""
    from babysteps.safeguarding import notify

    def broken(**kwargs):
        raise RuntimeError("mail queue unavailable")

    monkeypatch.setattr(notify, "referral_created", broken)
    reports: list[str] = []

    def report(sender, request, **kwargs):
        reporter = ExceptionReporter(request, *sys.exc_info(), is_email=True)
        # The text report, and the HTML one with every frame's local variables.
        reports.append(reporter.get_traceback_text() + reporter.get_traceback_html())

    got_request_exception.connect(report)
    caplog.set_level(logging.DEBUG)
    client = Client(raise_request_exception=False)
    client.force_login(cast.midwife_a)
    try:
        response = client.post(
            reverse("safeguarding:signpost", args=[cast.family_a.pk]),
            {
                "parents": [cast.family_a.mother.pk],
                "reasons": [ReferralReason.objects.get(code="low_mood").pk],
                "summary": SUMMARY,
                "urgency": "one_working_day",
                "consent_basis": "not_sought",
                "no_consent_reason": NO_CONSENT_REASON,
                "safe_number": "07700 900461",
                "safe_times_notes": SAFE_TIMES,
                "language": "English",
                "source": "family_page",
            },
        )
    finally:
        got_request_exception.disconnect(report)
    assert response.status_code == 500
    assert "mail queue unavailable" in caplog.text  # the failure itself is logged
    assert reports and "mail queue unavailable" in reports[0]
    for text in (SUMMARY, NO_CONSENT_REASON, SAFE_TIMES, "07700 900461"):
        assert text not in caplog.text
        assert text not in reports[0], text


def test_a_database_refusal_does_not_echo_the_row(cast, caplog, monkeypatch):
    """If the database itself refuses the row (PostgreSQL quotes the failing row, free
    text and all), the service reports a plain error instead."""
    from babysteps.safeguarding.services import signposting

    def no_checks(**kwargs):
        return {"summary": SUMMARY, "no_consent_reason": "", "safe_number": "07700 900461"}

    monkeypatch.setattr(signposting, "validate_referral", no_checks)
    caplog.set_level(logging.DEBUG)
    response = _client(cast.midwife_a).post(
        reverse("safeguarding:signpost", args=[cast.family_a.pk]),
        {
            "parents": [cast.family_a.mother.pk],
            "reasons": [ReferralReason.objects.get(code="low_mood").pk],
            "summary": SUMMARY,
            "urgency": "one_working_day",
            "consent_basis": "refused",  # and no reason: the check constraint refuses it
            "safe_number": "07700 900461",
            "language": "English",
            "source": "family_page",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200 and signposting.NOT_SAVED in content
    assert "Failing row" not in content and "constraint" not in content
    assert SUMMARY not in caplog.text


def test_the_family_page_read_names_the_referrals_it_shows(cast):
    """The family's page is one read event; it names the referrals whose status and
    outcome it showed, and each referral's own trail lists that page view. Free text
    stays off the page."""
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    before = AuditEvent.objects.count()
    response = _client(cast.support_a).get(reverse("families:detail", args=[cast.family_a.pk]))
    assert SUMMARY not in response.content.decode()
    (event,) = _new_events(before)
    assert (event.action, event.object_type, event.object_id, event.reason) == (
        Action.VIEW,
        "family",
        str(cast.family_a.pk),
        "family record",
    )
    assert event.detail["shown"]["referral"] == [referral.pk]
    from babysteps.safeguarding.selectors import referral_audit_events

    assert event in referral_audit_events(referral_id=referral.pk)
    before = AuditEvent.objects.count()
    _client(cast.support_a).get(reverse("families:detail", args=[cast.family_a2.pk]))
    assert AuditEvent.objects.count() == before  # not their family: 404, nothing read
