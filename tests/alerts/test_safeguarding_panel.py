"""Open safety alerts in the site's safeguarding view (/safeguarding/): scoped like the
rest, with age, status, whose each is, what is overdue and any referral made from it;
one LIST event; a number of queries that does not grow with the alerts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from babysteps.alerts import selectors
from babysteps.alerts.escalation import alert_escalate
from babysteps.alerts.models import Alert
from babysteps.alerts.services import alert_acknowledge
from babysteps.audit.models import Action, AuditEvent
from babysteps.safeguarding.models import SafeAndWellReferral
from tests.measures.helpers import epds_positions, record
from tests.measures.test_query_counts import _grow as grow_alerts
from tests.safeguarding.factories import make_referral

pytestmark = pytest.mark.django_db
URL = reverse("safeguarding:overview")


def _alert(family, by, **kwargs) -> Alert:
    return record(family, by, answers=epds_positions(item_10=1), **kwargs).alerts[0]


@pytest.fixture
def alerts(cast) -> dict[str, Alert]:
    """An open alert for each of the cast's families, and an acknowledged one."""
    made = {
        "a": _alert(cast.family_a, cast.midwife_a),
        "a2": _alert(cast.family_a2, cast.facilitator_a2),
        "a_unplaced": _alert(cast.family_a_unplaced, cast.manager_a),
        "b": _alert(cast.family_b, cast.facilitator_b),
    }
    done = record(cast.family_a, cast.midwife_a, code="phq9", answers=[0] * 8 + [1]).alerts[0]
    alert_acknowledge(alert=done, acknowledged_by=cast.support_a, action_taken="Called her GP.")
    return made


def _rows(client: Client) -> list[selectors.AlertRow]:
    response = client.get(URL)
    assert response.status_code == 200
    return response.context["alert_rows"]


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("manager_a", {"a", "a2", "a_unplaced"}),
        ("midwife_a", {"a"}),
        ("support_a", {"a"}),
        ("facilitator_a2", {"a2"}),
        ("manager_b", {"b"}),
        ("facilitator_b", {"b"}),
        ("admin", {"a", "a2", "a_unplaced", "b"}),
    ],
)
def test_open_alerts_are_scoped_like_the_rest(client_for, cast, alerts, viewer, expected):
    rows = _rows(client_for(getattr(cast, viewer)))
    assert {r.id for r in rows} == {alerts[k].pk for k in expected}


@pytest.mark.parametrize("viewer", ["evaluator", "safe_and_well", "no_role"])
def test_roles_without_family_records_do_not_get_the_view(client_for, cast, alerts, viewer):
    assert client_for(getattr(cast, viewer)).get(URL).status_code == 403


def test_age_status_whose_it_is_and_what_is_overdue(client_for, cast, alerts):
    now = timezone.now()
    # Escalated by the worker once past its time; past its time with no sweep yet.
    Alert.objects.filter(pk=alerts["a"].pk).update(escalate_at=now - timedelta(hours=2))
    assert alert_escalate(alert_id=alerts["a"].pk, now=now - timedelta(hours=1))
    Alert.objects.filter(pk=alerts["a2"].pk).update(escalate_at=now - timedelta(minutes=5))
    referral = make_referral(cast.family_a, by=cast.midwife_a, alert=alerts["a"])

    response = client_for(cast.manager_a).get(URL)
    rows = {r.id: r for r in response.context["alert_rows"]}
    a, a2, unplaced = (rows[alerts[k].pk] for k in ("a", "a2", "a_unplaced"))
    # Overdue (escalated, or past its time) first.
    assert [r.id for r in response.context["alert_rows"]][:2] == [a.id, a2.id]
    assert (a.overdue, a.escalated, a2.overdue, a2.escalated) == (True, True, True, False)
    assert (unplaced.overdue, unplaced.escalated) == (False, False)
    assert a.facilitators == ["Midwife A", "Support A"] and a.managers == ["Manager A"]
    assert a2.facilitators == ["Facilitator A2"]
    assert unplaced.facilitators == [] and unplaced.managers == ["Manager A"]
    assert [(r.id, r.status) for r in a.referrals] == [(referral.pk, "open")]
    assert a2.referrals == [] and a.family_name == cast.family_a.display_name
    counts = response.context["alert_counts"]
    assert (counts["open"], counts["overdue"], counts["acknowledged"]) == (3, 2, 1)

    content = response.content.decode()
    assert "escalated to the site manager" in content
    assert f"Referral {referral.pk}</a>: waiting to be claimed" in content
    assert "Not signposted" in content and "(facilitators)" in content
    assert "ago)" in content  # the age of each


def test_an_acknowledged_alert_leaves_the_view(client_for, cast, alerts):
    client = client_for(cast.midwife_a)
    assert [r.id for r in _rows(client)] == [alerts["a"].pk]
    alert_acknowledge(
        alert=alerts["a"], acknowledged_by=cast.midwife_a, action_taken="Called the mother."
    )
    response = client.get(URL)
    assert response.context["alert_rows"] == []
    assert "No open safety alerts." in response.content.decode()


def test_the_view_reads_the_alerts_it_lists_in_one_event(client_for, cast, alerts):
    referral = make_referral(cast.family_a, by=cast.midwife_a, alert=alerts["a"])
    last = AuditEvent.objects.order_by("id").last().pk
    client_for(cast.midwife_a).get(URL)
    (event,) = AuditEvent.objects.filter(object_type="alert", pk__gt=last)
    assert (event.action, event.reason) == (Action.LIST, "safeguarding view")
    assert event.detail == {
        "alert_ids": [alerts["a"].pk],
        "referral_ids": [referral.pk],
        "family_ids": [cast.family_a.pk],
    }


def test_nothing_to_list_writes_no_alert_event(client_for, cast):
    last = max(AuditEvent.objects.values_list("pk", flat=True), default=0)
    client_for(cast.manager_b).get(URL)
    assert AuditEvent.objects.filter(pk__gt=last, object_type="referral").exists()
    assert not AuditEvent.objects.filter(pk__gt=last, object_type="alert").exists()


def test_the_view_lists_the_soonest_and_says_how_many_more(client_for, cast, alerts, monkeypatch):
    monkeypatch.setattr(selectors, "SAFEGUARDING_LIMIT", 2)
    response = client_for(cast.manager_a).get(URL)
    assert len(response.context["alert_rows"]) == 2
    assert "Showing the 2 due soonest of 3" in response.content.decode()


# --- Query counts ---------------------------------------------------------------------


def _link_referrals(cast) -> None:
    """A referral (bulk copies of one made through the service) for every other alert
    that has none, so the view loads linked referrals too."""
    template = make_referral(cast.family_a2, by=cast.facilitator_a2)
    rows = []
    taken = set(SafeAndWellReferral.objects.values_list("family_id", flat=True))
    for alert in Alert.objects.filter(family__in=cast.cohort_a.enrolments.values("family")):
        if alert.family_id in taken or alert.pk % 2:
            continue
        row = SafeAndWellReferral.objects.get(pk=template.pk)
        row.pk, row.family_id, row.alert, row.source = None, alert.family_id, alert, "alert"
        rows.append(row)
        taken.add(alert.family_id)
    SafeAndWellReferral.objects.bulk_create(rows)
    SafeAndWellReferral.objects.filter(pk=template.pk).delete()


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    assert response.context["alert_rows"]
    return len(ctx.captured_queries)


@pytest.mark.parametrize("viewer", ["manager_a", "midwife_a", "admin"])
def test_the_view_runs_a_fixed_number_of_queries(cast, viewer, settings):
    settings.PAGE_SIZE = 100
    client = Client()
    client.force_login(getattr(cast, viewer))
    grow_alerts(cast, 5)
    _link_referrals(cast)
    small = _queries(client)
    grow_alerts(cast, 95)  # 10 versus 200 questionnaires, half of them with an alert
    _link_referrals(cast)
    assert _queries(client) == small
