"""The demo's questionnaires: pre and post for both Blackpool cohorts (mothers and
partners, the 2020 remote cohort too) in the published direction of effects, enough
completers that the evaluation shows figures, and one open EPDS item-10 alert."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from babysteps.alerts.models import Alert
from babysteps.measures.models import Administration
from babysteps.notifications.models import Message

pytestmark = pytest.mark.django_db


def test_the_demo_questionnaires_and_alert():
    call_command("demo", stdout=StringIO())
    count = Administration.objects.count()
    for cohort in ("Blackpool Autumn 2019 (group)", "Blackpool Spring 2020 (remote)"):
        rows = Administration.objects.filter(cohort__name=cohort)
        assert {"pre", "post"} <= set(rows.values_list("timepoint", flat=True)), cohort
        assert {"mother", "partner"} <= set(rows.values_list("respondent_role", flat=True)), cohort
    open_alerts = Alert.objects.filter(acknowledged_at__isnull=True)
    assert open_alerts.count() == 1
    alert = open_alerts.get()
    assert alert.site.name == "Riverside" and "EPDS item 10" in alert.detail
    texts = Message.objects.filter(group=f"alert:{alert.pk}", channel="sms")
    assert sorted(texts.values_list("to", flat=True)) == ["+447700900461", "+447700900462"]
    assert Alert.objects.filter(acknowledged_at__isnull=False).exclude(action_taken="").exists()
    call_command("demo", stdout=StringIO())
    assert Administration.objects.count() == count  # idempotent

    for code in ("rses", "csi4"):  # the 2015 evaluation's domains, at pre and post
        answered = Administration.objects.filter(instrument__code=code)
        assert answered.filter(timepoint="pre").count() == answered.filter(timepoint="post").count()
        assert answered.filter(timepoint="post").count() >= 5
    out = StringIO()
    call_command("evaluate", "--format", "json", "--group-by", "baseline_band", stdout=out)
    rows = {(r["instrument"], r["group"]): r for r in json.loads(out.getvalue())}
    elevated = rows[("epds", "Moderate or high at the start (e.g. EPDS 10 or more)")]
    assert not elevated["suppressed"] and elevated["mean_change"] < -2  # depression falls
    out = StringIO()
    call_command("evaluate", "--format", "json", "--group-by", "planned_mode", stdout=out)
    by_mode = {(r["instrument"], r["group"]): r for r in json.loads(out.getvalue())}
    for mode in ("Face-to-face (group)", "Remote"):
        assert (
            not by_mode[("gad7", mode)]["suppressed"] and by_mode[("gad7", mode)]["mean_change"] < 0
        )
        assert by_mode[("wemwbs", mode)]["mean_change"] > 0  # wellbeing rises slightly
