"""Reports read from a replica when one is configured (issue 14, item 5): the router sends
reads there only inside a report view (streamed exports included), never a write, never
another page's reads; the settings add the replica, pooled, mirrored in tests."""

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.urls import reverse

from babysteps.core import replica
from babysteps.core.replica import ReplicaRouter, replica_reads
from babysteps.families.models import Family
from tests.test_settings import _run

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)  # no test transaction around it
def test_reads_go_to_the_replica_only_inside_a_report_and_writes_never(monkeypatch):
    router = ReplicaRouter()
    monkeypatch.setattr(replica, "_has_replica", lambda: True)
    assert router.db_for_read(Family) == "default"
    with replica_reads():
        assert router.db_for_read(Family) == "replica"
        assert router.db_for_write(Family) == "default"
    assert router.db_for_read(Family) == "default"
    with replica_reads(), transaction.atomic():
        # A write under way (the audit chaining its next event): its reads see the primary.
        assert router.db_for_read(Family) == "default"
    assert router.allow_migrate("replica", "families") is False
    assert router.allow_migrate("default", "families") is True


def test_without_a_replica_everything_reads_the_primary():
    with replica_reads():
        assert ReplicaRouter().db_for_read(Family) == "default"


@pytest.fixture
def reads(monkeypatch) -> Iterator[list[bool]]:
    """Whether each read the router is asked about happens inside ``replica_reads``."""
    seen: list[bool] = []

    def spy(self, model, **hints):
        seen.append(replica.reading())
        return "default"

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    return seen


def _report_pages(cast):
    site = cast.site_a.pk
    return [
        (cast.manager_a, reverse("delivery:site", args=[site])),
        (cast.manager_a, reverse("delivery:site_time", args=[site])),
        (cast.admin, reverse("videos:report")),
        (cast.admin, reverse("national:dashboard")),
        (cast.admin, reverse("national:csv")),
        (cast.evaluator, reverse("evaluation:page")),
        (cast.evaluator, reverse("evaluation:figures_csv")),
        (cast.evaluator, reverse("evaluation:participants_csv")),
    ]


def test_report_views_read_from_the_replica(cast, client_for, reads):
    for user, url in _report_pages(cast):
        client = client_for(user)
        reads.clear()
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
        assert reads, url
        # The user and session are read by middleware first, from the primary.
        assert any(reads), url
        assert reads[-1] is True, url  # the last read, the report's (or export's) own


def test_other_pages_read_from_the_primary(cast, client_for, reads):
    client = client_for(cast.manager_a)
    for url in (reverse("families:detail", args=[cast.family_a.pk]), "/families/"):
        reads.clear()
        assert client.get(url).status_code == 200
        assert reads and not any(reads), url


def test_a_replica_is_configured_pooled_and_mirrored_in_tests():
    code = (
        "from django.conf import settings; from django.db import router; "
        "from babysteps.core.replica import replica_reads; "
        "from babysteps.families.models import Family; r = settings.DATABASES['replica']; "
        "inside = None\n"
        "with replica_reads(): inside = router.db_for_read(Family)\n"
        "print(r['NAME'], r['TEST']['MIRROR'], 'pool' in r['OPTIONS'], inside, "
        "router.db_for_read(Family), router.db_for_write(Family))"
    )
    result = _run(
        {
            "DATABASE_URL": "postgres://nobody@127.0.0.1:5432/primary",
            "DATABASE_REPLICA_URL": "postgres://reader@127.0.0.1:5432/copy",
        },
        "shell",
        "-v",
        "0",
        "-c",
        code,
    )
    assert result.stdout.split() == ["copy", "default", "True", "replica", "default", "default"], (
        result.stderr
    )


def test_a_replica_needs_postgresql():
    result = _run(
        # The primary is SQLite (no DATABASE_URL), whatever database the suite runs on.
        {"DATABASE_URL": "", "DATABASE_REPLICA_URL": "postgres://reader@127.0.0.1:5432/copy"},
        "check",
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL" in result.stderr
