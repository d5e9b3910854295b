"""Time /national/ at national scale on PostgreSQL: 200 sites, 100,000 families (three
big sites of 2,030, the rest about 480 each, in cohorts of 10), six group sessions per
cohort and two calls per family (about 260,000 contacts and 800,000 attendance lines, two
facilitators each), an EPDS before and after for half the families (consenting to the
evaluation). Run against a disposable
database (it is created, filled and left for inspection):

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_national \\
        .venv/bin/python bench/national.py [--families 100000]

Prints the time to build the data, then the page's server time and query count (best of
three, after a warm-up). Referrals and alerts are not generated (their tables are small
even nationally; the dashboard reads them with one grouped query each)."""

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "babysteps.test_settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# Time the computation itself (the page keeps it for NATIONAL_SNAPSHOT_SECONDS).
os.environ.setdefault("NATIONAL_SNAPSHOT_SECONDS", "0")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_national"
)

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_static.models import StaticDevice  # noqa: E402

from babysteps.accounts.models import (  # noqa: E402
    Membership,
    PractitionerProfile,
    ProfessionalRole,
    Role,
    User,
)
from babysteps.cohorts.models import Cohort, Enrolment  # noqa: E402
from babysteps.delivery.models import Attendance, Contact  # noqa: E402
from babysteps.families.models import Consent, Family, Parent  # noqa: E402
from babysteps.licensing.models import Licence, Organisation, Site  # noqa: E402
from babysteps.measures.models import Administration, Instrument  # noqa: E402
from babysteps.programme.models import Component  # noqa: E402

LONDON = ZoneInfo("Europe/London")
BATCH = 5000


# A few big sites (203 cohorts of 10 at full scale, as the biggest site in the issue's
# data set; in proportion at other sizes); the other sites share the rest equally.
BIG_SITES = (1, 2, 3)
BIG_SITE_COHORTS = 203


def site_sizes(families_total: int, sites_n: int = 200) -> list[int]:
    """Families per site, each a multiple of 10 (cohorts of 10), adding up to the total
    (to the nearest 10)."""
    big = max(10, round(BIG_SITE_COHORTS * families_total / 100_000) * 10)
    others = [s for s in range(sites_n) if s not in BIG_SITES]
    tens = (families_total - big * len(BIG_SITES)) // 10
    sizes = [big if s in BIG_SITES else 0 for s in range(sites_n)]
    for n, s in enumerate(others):
        sizes[s] = 10 * (tens // len(others) + (n < tens % len(others)))
    return sizes


def build(families_total: int) -> None:
    rnd = random.Random(7)
    sites_n = 200
    sizes = site_sizes(families_total, sites_n)
    admin = User.objects.create(email="bench-admin@example.test", full_name="Admin")
    Membership.objects.create(user=admin, role=Role.NSPCC_ADMIN)
    components = {c.code: c for c in Component.objects.all()}
    groups = [c for c in components.values() if c.is_group_session][:6]
    epds = Instrument.objects.get(code="epds")
    start = date(2025, 1, 6)
    for s in range(sites_n):
        per_site = sizes[s]
        org = Organisation.objects.create(name=f"Org {s}")
        licence = Licence.objects.create(
            organisation=org,
            reference=f"L{s}",
            status="active",
            start_date=date(2024, 1, 1),
            end_date=date(2028, 1, 1),
        )
        site = Site.objects.create(organisation=org, licence=licence, name=f"Site {s:03d}")
        staff = []
        for k, role in enumerate(
            (ProfessionalRole.MIDWIFE, ProfessionalRole.FAMILY_SUPPORT_WORKER)
        ):
            user = User.objects.create(email=f"f{s}-{k}@example.test", full_name=f"F {s} {k}")
            PractitionerProfile.objects.create(
                user=user, professional_role=role, training_completed_on=date(2024, 6, 1)
            )
            Membership.objects.create(user=user, role=Role.FACILITATOR, site=site)
            staff.append(user)
        cohorts = Cohort.objects.bulk_create(
            Cohort(
                site=site,
                name=f"C{c}",
                start_date=start + timedelta(days=7 * (c % 50)),
                due_date_from=start + timedelta(days=60),
                due_date_to=start + timedelta(days=120),
                capacity=12,
            )
            for c in range(per_site // 10)
        )
        fams = Family.objects.bulk_create(
            Family(
                site=site,
                estimated_due_date=start + timedelta(days=90),
                postcode="FY1 4AB",
                created_by=admin,
            )
            for _ in range(per_site)
        )
        Parent.objects.bulk_create(
            Parent(family=f, role="mother", given_name="M", family_name=str(f.pk)) for f in fams
        )
        Enrolment.objects.bulk_create(
            Enrolment(
                family=f,
                cohort=cohorts[i // 10],
                created_by=admin,
                status=rnd.choice(["active", "completed", "enrolled"]),
                status_changed_on=start,
            )
            for i, f in enumerate(fams)
        )
        Consent.objects.bulk_create(
            Consent(family=f, kind="evaluation", given=True, decided_on=start, recorded_by=admin)
            for f in fams
        )
        contacts, lines = [], []
        for ci, cohort in enumerate(cohorts):
            members = fams[ci * 10 : ci * 10 + 10]
            for g, component in enumerate(groups):
                when = datetime.combine(
                    cohort.start_date + timedelta(days=7 * g), datetime.min.time(), LONDON
                )
                contacts.append(
                    (
                        Contact(
                            cohort=cohort,
                            component=component,
                            mode="group",
                            starts_at=when,
                            planned_minutes=120,
                            actual_minutes=rnd.randint(90, 130),
                            recorded_by=admin,
                            recorded_at=when,
                        ),
                        members,
                    )
                )
            for f in members:
                for code in ("S7", "S8"):
                    when = datetime.combine(
                        cohort.start_date + timedelta(days=70), datetime.min.time(), LONDON
                    )
                    contacts.append(
                        (
                            Contact(
                                cohort=cohort,
                                component=components[code],
                                mode=rnd.choice(["phone", "video"]),
                                starts_at=when,
                                planned_minutes=30,
                                actual_minutes=rnd.randint(15, 45),
                                recorded_by=admin,
                                recorded_at=when,
                            ),
                            [f],
                        )
                    )
        made = Contact.objects.bulk_create([c for c, _ in contacts], batch_size=BATCH)
        through = Contact.facilitators.through
        through.objects.bulk_create(
            (through(contact=c, user=u) for c in made for u in staff), batch_size=BATCH
        )
        for contact, (_c, members) in zip(made, contacts, strict=True):
            for f in members:
                lines.append(
                    Attendance(
                        contact=contact,
                        family=f,
                        mother=True,
                        watched_videos_beforehand=None
                        if contact.mode == "group"
                        else rnd.random() < 0.6,
                    )
                )
        Attendance.objects.bulk_create(lines, batch_size=BATCH)
        rows = []
        for i, f in enumerate(fams[: per_site // 2]):
            for timepoint, total in (("pre", rnd.randint(5, 20)), ("post", rnd.randint(3, 18))):
                rows.append(
                    Administration(
                        family=f,
                        parent_id=None,
                        respondent_role="mother",
                        cohort=cohorts[i // 10],
                        instrument=epds,
                        timepoint=timepoint,
                        mode="in_person",
                        administered_on=start,
                        answers=[],
                        item_scores=[],
                        raw_total=total,
                        total=total,
                        scoring_version=1,
                        scored_at=datetime(2025, 3, 1, tzinfo=LONDON),
                    )
                )
        mothers = dict(
            Parent.objects.filter(family__in=fams[: per_site // 2]).values_list("family_id", "pk")
        )
        for row in rows:
            row.parent_id = mothers[row.family_id]
        Administration.objects.bulk_create(rows, batch_size=BATCH)
        if s % 20 == 19:
            print(f"  {s + 1} sites", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=100_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Site.objects.filter(name="Site 000").exists():
        began = time.perf_counter()
        build(args.families)
        print(f"built in {time.perf_counter() - began:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"families {Family.objects.count()}, contacts {Contact.objects.count()}, "
        f"attendance lines {Attendance.objects.count()}, "
        f"questionnaires {Administration.objects.count()}"
    )
    client = Client()
    admin = User.objects.get(email="bench-admin@example.test")
    client.force_login(admin)
    # Staff pages need the second factor: passed for this session, as in the test suite.
    device, _created = StaticDevice.objects.get_or_create(user=admin, name="bench")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.get("/national/")
    timings = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get("/national/")
            timings.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
    print(
        f"/national/: best {min(timings):.2f} s, worst {max(timings):.2f} s, {len(queries)} queries"
    )
    with override_settings(NATIONAL_SNAPSHOT_SECONDS=600):
        client.get("/national/")  # computes and keeps the snapshot
        kept = []
        for _ in range(3):
            began = time.perf_counter()
            client.get("/national/")
            kept.append(time.perf_counter() - began)
    print(
        f"/national/ from its snapshot: best {min(kept) * 1000:.0f} ms, "
        f"worst {max(kept) * 1000:.0f} ms"
    )
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:10]
    for query in slowest:
        print(f"  {float(query['time']):.2f} s  {' '.join(query['sql'].split())[:150]}")


if __name__ == "__main__":
    main()
