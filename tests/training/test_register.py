"""The training register: three events make a practitioner trained, only then may they
facilitate; a lapsed refresher flags the cohort; the licence's allowance counts."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from babysteps.accounts.models import PractitionerProfile, ProfessionalRole, Role
from babysteps.cohorts.services import cohort_facilitator_add
from babysteps.training.models import TrainingCompletion, TrainingRequest
from babysteps.training.services import (
    attendance_record,
    completion_import,
    event_create,
    standard_course,
)
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(cast):
    return make_staff(
        role=Role.FACILITATOR,
        site=cast.site_a,
        professional_role=ProfessionalRole.MIDWIFE,
        trained=False,
        full_name="New Midwife",
    )


def _events(cast, start: date):
    course = standard_course()
    return [
        event_create(
            course=course,
            number=n,
            starts_on=start + timedelta(days=7 * n),
            ends_on=start + timedelta(days=7 * n + 1),
            place="Leeds",
            trainer="NSPCC trainer",
            created_by=cast.admin,
        )
        for n in (1, 2, 3)
    ]


def test_three_events_make_a_practitioner_trained_and_only_then_assignable(cast, newcomer):
    events = _events(cast, timezone.localdate() - timedelta(days=40))
    with pytest.raises(ValidationError, match="not completed Baby Steps training"):
        cohort_facilitator_add(cohort=cast.cohort_a, user=newcomer, added_by=cast.manager_a)
    for event in events[:2]:
        assert attendance_record(event=event, users=[newcomer], recorded_by=cast.admin) == []
    assert PractitionerProfile.objects.get(user=newcomer).training_completed_on is None
    with pytest.raises(ValidationError):
        cohort_facilitator_add(cohort=cast.cohort_a, user=newcomer, added_by=cast.manager_a)
    (completion,) = attendance_record(event=events[2], users=[newcomer], recorded_by=cast.admin)
    assert completion.completed_on == events[2].ends_on
    assert completion.source == TrainingCompletion.Source.REGISTER
    newcomer.practitioner.refresh_from_db()
    assert newcomer.practitioner.training_completed_on == events[2].ends_on
    cohort_facilitator_add(cohort=cast.cohort_a, user=newcomer, added_by=cast.manager_a)


def test_attendance_is_recorded_only_after_the_event_and_for_practitioners(cast, newcomer):
    (future, *_rest) = _events(cast, timezone.localdate())
    with pytest.raises(ValidationError, match="once the event has ended"):
        attendance_record(event=future, users=[newcomer], recorded_by=cast.admin)
    (past, *_rest) = _events(cast, timezone.localdate() - timedelta(days=60))
    with pytest.raises(ValidationError, match="no professional role"):
        attendance_record(event=past, users=[cast.manager_a], recorded_by=cast.admin)
    with pytest.raises(ValidationError, match="events 1 to 3"):
        event_create(
            course=standard_course(),
            number=4,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 1, 2),
            place="x",
            trainer="y",
            created_by=cast.admin,
        )


def test_a_lapsed_refresher_flags_the_cohort(cast, client_for, settings):
    settings.TRAINING_REFRESHER_YEARS = 3
    url = reverse("cohorts:detail", args=[cast.cohort_a.pk])
    client = client_for(cast.manager_a)
    assert "data-refreshers-due" not in client.get(url).content.decode()
    # Trained more than three years ago: the refresher has lapsed.
    PractitionerProfile.objects.filter(user=cast.midwife_a).update(
        training_completed_on=timezone.localdate() - timedelta(days=3 * 366)
    )
    page = client.get(url).content.decode()
    assert "data-refreshers-due" in page and "Midwife A&#x27;s refresher training" in page
    assert "Does not meet the co-facilitation condition" not in page  # a flag, not a breach


def test_the_licence_counts_its_trained_facilitators_against_the_allowance(
    cast, newcomer, client_for
):
    licence = cast.site_a.licence
    page = client_for(cast.admin).get(reverse("licensing:licence", args=[licence.pk]))
    assert "3 of 12 trained facilitators" in page.content.decode()  # midwife, support, A2
    completion_import(user=newcomer, completed_on=date(2024, 5, 1), recorded_by=cast.admin)
    page = client_for(cast.admin).get(reverse("licensing:licence", args=[licence.pk]))
    assert "4 of 12 trained facilitators" in page.content.decode()
    assert TrainingCompletion.objects.get(user=newcomer).source == "imported"


def test_managers_see_their_staff_and_ask_for_training_admins_record(cast, newcomer, client_for):
    manager = client_for(cast.manager_a)
    page = manager.get(reverse("training:register")).content.decode()
    assert "New Midwife" in page and "Not trained" in page and "Facilitator B" not in page
    manager.post(reverse("training:request"), {"user": newcomer.pk, "site": cast.site_a.pk})
    assert TrainingRequest.objects.filter(user=newcomer, requested_by=cast.manager_a).exists()
    # Another site's facilitator cannot be put forward.
    response = manager.post(
        reverse("training:request"), {"user": cast.facilitator_b.pk, "site": cast.site_a.pk}
    )
    assert response.status_code == 404
    assert client_for(cast.midwife_a).get(reverse("training:register")).status_code == 403

    admin = client_for(cast.admin)
    assert "New Midwife" in admin.get(reverse("training:register")).content.decode()
    admin.post(
        reverse("training:register"),
        {
            "course": standard_course().pk,
            "number": 1,
            "starts_on": "2026-01-05",
            "ends_on": "2026-01-06",
            "place": "York",
            "trainer": "Sam",
        },
    )
    event = standard_course().events.get()
    response = admin.post(
        reverse("training:event", args=[event.pk]), {"emails": f"{newcomer.email}\nnobody@x.test"}
    )
    assert "nobody@x.test" in response.content.decode()
    admin.post(reverse("training:event", args=[event.pk]), {"emails": newcomer.email})
    assert event.attendances.filter(user=newcomer).exists()
    # Trained (here by a completion recorded from before the register): the request is answered.
    completion_import(user=newcomer, completed_on=date(2026, 1, 6), recorded_by=cast.admin)
    assert not TrainingRequest.objects.filter(user=newcomer, closed_at__isnull=True).exists()
    assert (
        client_for(cast.manager_a).get(reverse("training:event", args=[event.pk])).status_code
        == 404
    )
