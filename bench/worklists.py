# isort: skip_file
"""Time the worklists and filters added for issue 12 at national scale on PostgreSQL: the
caseload (sorted by next session, due date or name; filtered by consent, alert, cohort),
the evaluator's home panel, and a facilitator's home and week. Uses the national data set
of ``bench/national.py`` (built if the database is empty), plus each cohort's eleven
planned sessions and, for site 000, a manager and facilitators linked to its cohorts:

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_national \\
        .venv/bin/python bench/worklists.py [--families 100000]

Prints each page's best and worst server time of three (after a warm-up) and its query
count. Nothing here is asserted: the figures are for reading."""

import argparse
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import national  # first: sets up Django on the bench database
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from babysteps.accounts.models import Membership, Role, User
from babysteps.cohorts.models import Cohort, CohortFacilitator, PlannedSession
from babysteps.families.models import Family
from babysteps.licensing.models import Site
from babysteps.programme.models import Component


def _plan_sessions() -> None:
    """Eleven planned sessions a cohort, weekly from its start (about 110,000 rows)."""
    if PlannedSession.objects.exists():
        return
    components = list(Component.objects.order_by("order"))
    rows = []
    for cohort in Cohort.objects.only("pk", "start_date").iterator():
        first = timezone.make_aware(datetime.combine(cohort.start_date, datetime.min.time()))
        for n, component in enumerate(components):
            rows.append(
                PlannedSession(
                    cohort_id=cohort.pk,
                    component=component,
                    starts_at=first + timedelta(days=7 * n, hours=10),
                    duration_minutes=120,
                    location="Bench",
                )
            )
        if len(rows) >= national.BATCH:
            PlannedSession.objects.bulk_create(rows)
            rows = []
    PlannedSession.objects.bulk_create(rows)


def _people() -> tuple[User, User, User, User]:
    site = Site.objects.get(name="Site 000")
    manager, _ = User.objects.get_or_create(
        email="bench-manager@example.test", defaults={"full_name": "Manager"}
    )
    Membership.objects.get_or_create(user=manager, role=Role.SITE_MANAGER, site=site)
    evaluator, _ = User.objects.get_or_create(
        email="bench-evaluator@example.test", defaults={"full_name": "Evaluator"}
    )
    Membership.objects.get_or_create(user=evaluator, role=Role.NSPCC_EVALUATOR)
    big_manager, _ = User.objects.get_or_create(
        email="bench-big-manager@example.test", defaults={"full_name": "Manager of a big site"}
    )
    Membership.objects.get_or_create(
        user=big_manager, role=Role.SITE_MANAGER, site=Site.objects.get(name="Site 001")
    )
    facilitator = User.objects.get(email="f0-0@example.test")
    for cohort in Cohort.objects.filter(site=site)[:4]:  # 2-4 cohorts, as facilitators have
        CohortFacilitator.objects.get_or_create(cohort=cohort, user=facilitator)
    return User.objects.get(email="bench-admin@example.test"), manager, evaluator, facilitator


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    device, _created = StaticDevice.objects.get_or_create(user=user, name="bench")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _time(client: Client, label: str, url: str) -> None:
    client.get(url)
    timings = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - began)
        assert response.status_code == 200, (url, response.status_code)
    print(
        f"{label:52} best {min(timings) * 1000:6.0f} ms, worst {max(timings) * 1000:6.0f} ms, "
        f"{len(queries)} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=100_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    if not Site.objects.filter(name="Site 000").exists():
        national.build(args.families)
    _plan_sessions()
    admin, manager, evaluator, facilitator = _people()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"ready in {time.perf_counter() - began:.0f} s: families {Family.objects.count()}, "
        f"planned sessions {PlannedSession.objects.count()}"
    )
    everyone = _client(admin)
    for label, url in (
        ("caseload, NSPCC admin, next session (default)", "/families/"),
        ("caseload, NSPCC admin, due date", "/families/?sort=due"),
        ("caseload, NSPCC admin, name", "/families/?sort=name"),
        ("caseload, NSPCC admin, consent not recorded", "/families/?consent_missing=on"),
        ("caseload, NSPCC admin, open alert", "/families/?open_alert=on"),
        ("caseload, NSPCC admin, after the birth", "/families/?stage=postnatal"),
        ("caseload, NSPCC admin, search", "/families/?q=M+12345"),
    ):
        _time(everyone, label, url)
    site_manager = _client(manager)
    _time(site_manager, "caseload, site manager (500 families)", "/families/")
    _time(site_manager, "caseload, site manager, name", "/families/?sort=name")
    _time(_client(evaluator), "evaluator home (completers per questionnaire)", "/")
    facilitator_client = _client(facilitator)
    _time(facilitator_client, "facilitator home (to do)", "/")
    _time(facilitator_client, "facilitator week", "/delivery/week/")


if __name__ == "__main__":
    main()
