"""The NSPCC admin's home: sites, licences, and how many running cohorts do not meet the
co-facilitation condition (counted by the database)."""

import pytest
from django.urls import reverse

from babysteps.cohorts.models import Enrolment
from tests.factories import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def _flag_line(client) -> str:
    page = client.get(reverse("home:index")).content.decode()
    return next((line for line in page.splitlines() if "co-facilitation condition" in line), "")


def test_the_admin_home_counts_running_cohorts_that_are_not_co_facilitated(cast, client_for):
    client = client_for(cast.admin)
    before = _flag_line(client)
    unstaffed = CohortFactory(site=cast.site_a)
    assert _flag_line(client) == before  # no open place: not running, not counted
    EnrolmentFactory(cohort=unstaffed, family__site=cast.site_a, status=Enrolment.Status.ENROLLED)
    after = _flag_line(client)
    count = int(after.split('tag-warn">')[1].split("<")[0])
    previous = int(before.split('tag-warn">')[1].split("<")[0]) if before else 0
    assert count == previous + 1
