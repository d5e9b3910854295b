from datetime import timedelta

import pytest
from django.utils import timezone

from babysteps.cohorts.models import PlannedSession
from babysteps.cohorts.services import cohort_schedule_generate


@pytest.fixture
def plan(cast):
    """Cohort A's schedule, with HV1 two weeks ago, S1 a week ago, and the rest ahead."""
    sessions = {s.component.code: s for s in cohort_schedule_generate(cohort=cast.cohort_a)}
    PlannedSession.objects.filter(pk=sessions["S1"].pk).update(
        starts_at=timezone.now() - timedelta(days=7)
    )
    PlannedSession.objects.filter(pk=sessions["HV1"].pk).update(
        starts_at=timezone.now() - timedelta(days=14)
    )
    return {
        code: PlannedSession.objects.select_related("component", "cohort").get(pk=s.pk)
        for code, s in sessions.items()
    }
