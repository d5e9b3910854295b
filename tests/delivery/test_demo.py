"""The demo tells the lockdown story, and the reports can answer its claim."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from babysteps.accounts.models import User
from babysteps.bookings.models import CallBooking
from babysteps.cohorts.models import Cohort
from babysteps.delivery import fidelity, reports
from babysteps.delivery.models import Contact, DeliverySwitch, FollowUpTask

pytestmark = pytest.mark.django_db


def test_the_demo_tells_the_lockdown_story():
    call_command("demo", stdout=StringIO())
    counts = (Contact.objects.count(), CallBooking.objects.count(), DeliverySwitch.objects.count())
    call_command("demo", stdout=StringIO())
    assert (
        Contact.objects.count(),
        CallBooking.objects.count(),
        DeliverySwitch.objects.count(),
    ) == counts  # idempotent

    autumn = Cohort.objects.get(name="Blackpool Autumn 2019 (group)")
    spring = Cohort.objects.get(name="Blackpool Spring 2020 (remote)")
    riverside = Cohort.objects.get(name="Riverside current cohort")
    # 2019: face-to-face, both roles at every group session, most families complete.
    result = reports.fidelity_report(cohorts=[autumn], chart_prefix="t")["fidelity"]
    assert result.group_sessions == 9 and result.group_sessions_both_roles == 9
    assert result.completers >= 5
    # 2020: groups until mid-March, then calls; the mode mix shows the shift.
    mix = dict(fidelity.mode_mix_by_month(reports._rows([spring])))
    assert mix["2020-02"]["group"] > 0 and mix["2020-03"]["phone"] > 0
    assert mix["2020-07"]["video"] > 0 and mix["2020-07"]["group"] == 0
    # The site's lockdown switches (the current video-first cohort has its own switch).
    history = list(
        DeliverySwitch.objects.filter(site=spring.site)
        .filter(Q(cohort__isnull=True) | Q(cohort=spring))
        .order_by("created_at")
        .values_list("action", "remote_mode", "from_date")
    )
    assert [h[:2] for h in history] == [("pause", "phone"), ("pause", "video"), ("resume", "")]
    # The claim: video-first calls, after the videos, were much shorter.
    calls = reports.time_report(cohorts=[spring], chart_prefix="t")["calls"]
    assert calls.before.calls >= 8 and calls.after.calls >= 12
    assert calls.before.mean_minutes > 45 and calls.after.mean_minutes < 35
    assert calls.after.watched_share > 0.8
    # Shortened postnatal visits were followed up by the family support worker.
    follow_ups = FollowUpTask.objects.filter(visit__cohort=spring)
    assert follow_ups.filter(status="done").count() >= 3
    assert set(follow_ups.values_list("assigned_to__email", flat=True)) == {
        "familysupport@blackpool.demo"
    }
    # Riverside: current bookings, and a co-facilitation gap that shows.
    assert CallBooking.objects.filter(cohort=riverside, status="booked").exists()
    river = reports.fidelity_report(cohorts=[riverside], chart_prefix="t")["fidelity"]
    assert river.group_sessions >= 3 and river.group_sessions_both_roles == 0

    client = Client()
    client.force_login(User.objects.get(email="manager@blackpool.demo"))
    site = client.get(reverse("delivery:site", args=[spring.site_id])).content.decode()
    assert site.count("<svg") >= 2 and "National lockdown" in site
    time_page = client.get(reverse("delivery:site_time", args=[spring.site_id])).content.decode()
    assert "Average call length before and after video-first delivery" in time_page
    cohort_page = client.get(reverse("cohorts:detail", args=[spring.pk])).content.decode()
    # How each past session was delivered stays visible: by phone, then video-first.
    assert "Per-family phone calls" in cohort_page and "Per-family video calls" in cohort_page
    assert "Bitesize videos ready" in cohort_page
    # Summer 2020 was planned during the pause: every session a call, none a group register.
    summer = Cohort.objects.get(name="Blackpool Summer 2020 (remote)")
    summer_modes = set(Contact.objects.filter(cohort=summer).values_list("mode", flat=True))
    assert summer_modes and "group" not in summer_modes
    summer_page = client.get(reverse("cohorts:detail", args=[summer.pk])).content.decode()
    assert "Take the register" not in summer_page and "Per-family video calls" in summer_page
