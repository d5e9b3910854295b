"""Retention: with the clock moved past each period, ``apply_retention --dry-run`` reports
what the real run then does, class by class; held records survive; the daily job runs the
schedule once a day."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from babysteps.audit.models import Action, AuditEvent
from babysteps.families.models import Family, Parent
from babysteps.notifications.models import Message
from babysteps.portal.models import SignInChallenge
from babysteps.privacy.models import RecordClass, RetentionRule, RetentionRun
from babysteps.privacy.periodic import daily_retention
from babysteps.privacy.services import legal_hold_place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("retention_schedule")]


def _run(*args: str) -> dict[str, tuple[int, int, int]]:
    """The command's table: record class label -> (past period, held, done or would be)."""
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    rows = {}
    for line in out.getvalue().splitlines()[2:]:
        label, numbers = line[:40].strip(), line[40:].split()
        rows[label] = tuple(int(n) for n in numbers)
    return rows


def _records(cast) -> None:
    """A message and a sign-in record for a family of each site; the site-B family's
    records are under a legal hold."""
    for family in (cast.family_a, cast.family_b):
        parent = Parent.objects.filter(family=family).first()
        Message.objects.create(
            key=f"m{family.pk}",
            channel="email",
            to="x@example.org",
            subject="s",
            body="b",
            family=family,
            parent=parent,
            send_after=timezone.now(),
        )
        SignInChallenge.objects.create(
            parent=parent,
            token_hash=f"{family.pk:064d}",
            code_salt="s",
            code_hash="h",
            created_at=timezone.now(),
            expires_at=timezone.now() + timedelta(minutes=15),
        )
    legal_hold_place(family=cast.family_b, reason="a court order", placed_by=cast.admin)


def _days(record_class: str) -> int:
    return RetentionRule.objects.get(record_class=record_class).period_days


def _label(record_class: str) -> str:
    return RecordClass(record_class).label


def test_the_dry_run_reports_what_the_real_run_does_period_by_period(cast, time_machine):
    _records(cast)
    start = timezone.now()
    families = Family.objects.count()
    steps = [  # each a little past one period, shortest first
        (RecordClass.PORTAL_SIGN_IN, {"portal_sign_in": (2, 1, 1)}),
        (RecordClass.MESSAGES, {"messages": (2, 1, 1)}),
        (RecordClass.FAMILY_RECORDS, {"family_records": (families, 1, families - 1)}),
        (RecordClass.AUDIT_EVENTS, {}),
    ]
    for record_class, expected in steps:
        time_machine.move_to(start + timedelta(days=_days(record_class) + 1), tick=False)
        dry = _run("--dry-run")
        assert RetentionRun.objects.filter(dry_run=True).exists()
        counts = (Message.objects.count(), SignInChallenge.objects.count())
        unchanged = Family.objects.filter(anonymised_at__isnull=True).count()
        assert counts == (Message.objects.count(), SignInChallenge.objects.count())
        real = _run()
        assert real == dry, (record_class, dry, real)  # did exactly what it reported
        for name, figures in expected.items():
            assert dry[_label(name)] == figures, (name, dry)
        assert Family.objects.filter(anonymised_at__isnull=True).count() <= unchanged

    # After every period: the held family's records survive; every other family is anonymous.
    assert Message.objects.get().family_id == cast.family_b.pk
    assert SignInChallenge.objects.get().parent.family_id == cast.family_b.pk
    assert list(Family.objects.filter(anonymised_at__isnull=True)) == [cast.family_b]
    assert not Parent.objects.filter(family=cast.family_a).exclude(given_name="").exists()
    # The audit trail was purged up to its period and says so.
    purge = AuditEvent.objects.filter(action=Action.PURGE)
    assert purge.exists()
    assert not AuditEvent.objects.filter(at__lt=start).exists()


def test_nothing_is_due_before_its_period(cast, time_machine):
    _records(cast)
    time_machine.move_to(
        timezone.now() + timedelta(days=_days(RecordClass.PORTAL_SIGN_IN) - 1), tick=False
    )
    dry = _run("--dry-run")
    assert all(figures == (0, 0, 0) for figures in dry.values()), dry
    assert _run() == dry
    assert SignInChallenge.objects.count() == 2


def test_the_daily_job_applies_the_schedule_once_a_day(cast, time_machine, settings):
    settings.RETENTION_HOUR = 2
    _records(cast)
    later = timezone.localtime(timezone.now()) + timedelta(days=_days(RecordClass.MESSAGES) + 1)
    time_machine.move_to(later.replace(hour=1, minute=0), tick=False)
    assert daily_retention(timezone.now()) == 0  # before the hour
    assert not RetentionRun.objects.exists()
    time_machine.move_to(later.replace(hour=3, minute=0), tick=False)
    assert daily_retention(timezone.now()) == 2  # a message and a sign-in record
    time_machine.move_to(later.replace(hour=9, minute=0), tick=False)
    assert daily_retention(timezone.now()) == 0  # done today
    assert RetentionRun.objects.filter(dry_run=False, channel="task").count() == 1
