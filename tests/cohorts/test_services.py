from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from babysteps.accounts.models import ProfessionalRole, Role
from babysteps.audit.models import AuditEvent
from babysteps.cohorts.models import Cohort, CohortFacilitator, Enrolment, PlannedSession
from babysteps.cohorts.selectors import (
    cohort_cofacilitation,
    cohorts_not_meeting_condition,
    cohorts_with_staffing,
)
from babysteps.cohorts.services import (
    cohort_create,
    cohort_facilitator_add,
    cohort_facilitator_remove,
    cohort_schedule_generate,
    cohort_update,
    enrolment_change_status,
    enrolment_create,
    planned_session_update,
)
from babysteps.licensing.models import Licence
from tests.factories import CohortFactory, EnrolmentFactory, FamilyFactory, make_staff, today

pytestmark = pytest.mark.django_db


def _cohort_values(**overrides):
    values = {
        "name": "Spring",
        "start_date": today() + timedelta(days=20),
        "due_date_from": today() + timedelta(days=90),
        "due_date_to": today() + timedelta(days=130),
    }
    values.update(overrides)
    return values


def test_cohort_create_plans_all_eleven_components(cast):
    cohort = cohort_create(site=cast.site_a, created_by=cast.manager_a, **_cohort_values())
    codes = list(
        PlannedSession.objects.filter(cohort=cohort).values_list("component__code", flat=True)
    )
    assert codes == ["HV1", "S1", "S2", "S3", "S4", "S5", "S6", "HV2", "S7", "S8", "S9"]
    assert cohort.capacity == 8


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"due_date_to": today() + timedelta(days=80)}, "due_date_to"),
        ({"start_date": today() + timedelta(days=95)}, "start_date"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 21}, "capacity"),
    ],
)
def test_bad_cohort_input_is_refused_and_nothing_saved(cast, overrides, field):
    before = (Cohort.objects.count(), PlannedSession.objects.count())
    with pytest.raises(ValidationError) as exc:
        cohort_create(site=cast.site_a, created_by=cast.manager_a, **_cohort_values(**overrides))
    assert field in exc.value.message_dict
    assert (Cohort.objects.count(), PlannedSession.objects.count()) == before


def test_duplicate_cohort_name_at_a_site_is_refused(cast):
    with pytest.raises(ValidationError):
        cohort_create(
            site=cast.site_a, created_by=cast.manager_a, **_cohort_values(name="Cohort A")
        )


def test_capacity_cannot_drop_below_the_places_taken(cast):
    EnrolmentFactory(cohort=cast.cohort_a, family__site=cast.site_a)
    with pytest.raises(ValidationError, match="already hold places"):
        cohort_update(cohort=cast.cohort_a, changed_by=cast.manager_a, capacity=1)
    cast.cohort_a.refresh_from_db()
    assert cast.cohort_a.capacity == 8


def test_enrolment_over_capacity_is_refused_and_nothing_saved(cast):
    cohort = CohortFactory(site=cast.site_a, capacity=2)
    for _ in range(2):
        enrolment_create(
            family=FamilyFactory(site=cast.site_a), cohort=cohort, created_by=cast.manager_a
        )
    extra = FamilyFactory(site=cast.site_a)
    before = (Enrolment.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError, match="is full"):
        enrolment_create(family=extra, cohort=cohort, created_by=cast.manager_a)
    assert (Enrolment.objects.count(), AuditEvent.objects.count()) == before


def test_withdrawn_families_free_their_place(cast):
    cohort = CohortFactory(site=cast.site_a, capacity=1)
    first = enrolment_create(
        family=FamilyFactory(site=cast.site_a), cohort=cohort, created_by=cast.manager_a
    )
    enrolment_change_status(
        enrolment=first,
        status="withdrawn",
        withdrawal_reason="Moved away",
        changed_by=cast.manager_a,
    )
    enrolment_create(
        family=FamilyFactory(site=cast.site_a), cohort=cohort, created_by=cast.manager_a
    )
    # ... and re-enrolling the first would now exceed capacity.
    with pytest.raises(ValidationError, match="is full"):
        enrolment_change_status(enrolment=first, status="enrolled", changed_by=cast.manager_a)


def test_enrolment_in_another_sites_cohort_is_refused(cast):
    with pytest.raises(ValidationError, match="own site"):
        enrolment_create(
            family=cast.family_a_unplaced, cohort=cast.cohort_b, created_by=cast.manager_a
        )


def test_a_family_holds_one_open_place(cast):
    with pytest.raises(ValidationError, match="already has an open place"):
        enrolment_create(family=cast.family_a, cohort=cast.cohort_a2, created_by=cast.manager_a)


def test_a_site_without_an_active_licence_cannot_take_families(cast):
    Licence.objects.filter(pk=cast.site_a.licence_id).update(status=Licence.Status.SUSPENDED)
    cast.site_a.refresh_from_db()
    cohort = Cohort.objects.select_related("site__licence").get(pk=cast.cohort_a2.pk)
    with pytest.raises(ValidationError, match="licence is not in force"):
        enrolment_create(family=cast.family_a_unplaced, cohort=cohort, created_by=cast.manager_a)


def test_withdrawal_needs_a_reason(cast):
    with pytest.raises(ValidationError) as exc:
        enrolment_change_status(
            enrolment=cast.enrolment_a, status="withdrawn", changed_by=cast.manager_a
        )
    assert "withdrawal_reason" in exc.value.message_dict
    cast.enrolment_a.refresh_from_db()
    assert cast.enrolment_a.status == "active"


def test_enrolment_cannot_skip_backwards(cast):
    with pytest.raises(ValidationError, match="cannot go from"):
        enrolment_change_status(
            enrolment=cast.enrolment_a, status="referred", changed_by=cast.manager_a
        )


def test_untrained_facilitator_cannot_be_assigned(cast):
    trainee = make_staff(
        role=Role.FACILITATOR,
        site=cast.site_a,
        professional_role=ProfessionalRole.COMMUNITY_NURSERY_NURSE,
        trained=False,
    )
    with pytest.raises(ValidationError, match="has not completed Baby Steps training"):
        cohort_facilitator_add(cohort=cast.cohort_a2, user=trainee, added_by=cast.manager_a)
    assert not CohortFacilitator.objects.filter(user=trainee).exists()


def test_other_site_facilitator_cannot_be_assigned(cast):
    with pytest.raises(ValidationError, match="is not a facilitator at"):
        cohort_facilitator_add(
            cohort=cast.cohort_a, user=cast.facilitator_b, added_by=cast.manager_a
        )
    assert not CohortFacilitator.objects.filter(
        cohort=cast.cohort_a, user=cast.facilitator_b
    ).exists()


def test_a_manager_without_a_facilitator_role_cannot_be_assigned(cast):
    with pytest.raises(ValidationError, match="is not a facilitator at"):
        cohort_facilitator_add(cohort=cast.cohort_a, user=cast.manager_a, added_by=cast.manager_a)


def test_facilitator_can_be_added_and_removed(cast):
    cohort_facilitator_add(cohort=cast.cohort_a2, user=cast.midwife_a, added_by=cast.manager_a)
    assert cast.cohort_a2.facilitators.filter(pk=cast.midwife_a.pk).exists()
    cohort_facilitator_remove(cohort=cast.cohort_a2, user=cast.midwife_a, removed_by=cast.manager_a)
    assert not cast.cohort_a2.facilitators.filter(pk=cast.midwife_a.pk).exists()


def _cofac(cohort):
    return cohort_cofacilitation(
        cohort=cohorts_with_staffing(Cohort.objects.filter(pk=cohort.pk)).get()
    )


def test_cofacilitation_needs_both_trained_roles(cast):
    assert _cofac(cast.cohort_a).meets_condition
    only_health = _cofac(cast.cohort_a2)
    assert not only_health.meets_condition
    assert any("children's services" in p for p in only_health.problems)


def test_cofacilitation_flags_training_lapses_and_empty_cohorts(cast):
    empty = CohortFactory(site=cast.site_a)
    problems = _cofac(empty).problems
    assert len(problems) == 2
    cast.support_a.practitioner.training_completed_on = None
    cast.support_a.practitioner.save()
    result = _cofac(cast.cohort_a)
    assert not result.meets_condition
    assert any("has not completed" in p for p in result.problems)


def test_regenerating_keeps_hand_edited_sessions(cast):
    cohort = cohort_create(site=cast.site_a, created_by=cast.manager_a, **_cohort_values())
    s3 = PlannedSession.objects.get(cohort=cohort, component__code="S3")
    moved = s3.starts_at + timedelta(days=2)
    planned_session_update(
        session=s3, changed_by=cast.manager_a, starts_at=moved, duration_minutes=90, location="Hub"
    )
    cohort_update(
        cohort=cohort, changed_by=cast.manager_a, start_date=cohort.start_date + timedelta(days=7)
    )
    cohort_schedule_generate(cohort=cohort)
    s3.refresh_from_db()
    s1 = PlannedSession.objects.get(cohort=cohort, component__code="S1")
    assert s3.starts_at == moved and s3.edited
    assert s1.starts_at.date() == cohort.start_date


def test_planned_session_duration_is_validated(cast):
    cohort = cohort_create(site=cast.site_a, created_by=cast.manager_a, **_cohort_values())
    s1 = PlannedSession.objects.get(cohort=cohort, component__code="S1")
    with pytest.raises(ValidationError, match="between 5 and 480"):
        planned_session_update(
            session=s1,
            changed_by=cast.manager_a,
            starts_at=s1.starts_at,
            duration_minutes=0,
            location="",
        )


def _flagged_by_the_database(cohorts) -> set[int]:
    found = cohorts_not_meeting_condition(
        Cohort.objects.filter(pk__in=[c.pk for c in cohorts]), on=timezone.localdate()
    )
    return set(found.values_list("pk", flat=True))


def test_the_databases_count_of_flagged_cohorts_follows_the_same_rule(cast):
    """The admin home counts flagged cohorts in SQL: for each way a cohort can fail (or
    pass) it agrees with cohort_cofacilitation."""
    empty = CohortFactory(site=cast.site_a)
    cohorts = [cast.cohort_a, cast.cohort_a2, empty]

    def by_python() -> set[int]:
        return {c.pk for c in cohorts if not _cofac(c).meets_condition}

    assert by_python() == _flagged_by_the_database(cohorts) == {cast.cohort_a2.pk, empty.pk}
    cast.support_a.practitioner.training_completed_on = timezone.localdate() + timedelta(days=1)
    cast.support_a.practitioner.save()  # trained only from tomorrow
    assert by_python() == _flagged_by_the_database(cohorts)
    assert cast.cohort_a.pk in by_python()
    cast.support_a.practitioner.delete()  # no practitioner profile at all
    assert by_python() == _flagged_by_the_database(cohorts)
