"""The chokepoints, role by role (the matrix test covers every route)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from babysteps.audit.models import Action
from babysteps.cohorts.access import cohort_for_user, cohorts_for_user
from babysteps.families.access import families_for_user, family_for_user

pytestmark = pytest.mark.django_db

FAMILIES = ["family_a", "family_a2", "family_a_unplaced", "family_b"]
# Who may reach which family.
VISIBLE = {
    "admin": {"family_a", "family_a2", "family_a_unplaced", "family_b"},
    "manager_a": {"family_a", "family_a2", "family_a_unplaced"},
    "manager_b": {"family_b"},
    "midwife_a": {"family_a"},
    "support_a": {"family_a"},
    "facilitator_a2": {"family_a2"},
    "facilitator_b": {"family_b"},
    "evaluator": set(),
    "safe_and_well": set(),
    "no_role": set(),
}


@pytest.mark.parametrize("viewer", sorted(VISIBLE))
def test_families_for_user(cast, viewer):
    user = cast.staff()[viewer]
    visible = {
        name
        for name in FAMILIES
        if families_for_user(user).filter(pk=getattr(cast, name).pk).exists()
    }
    assert visible == VISIBLE[viewer]
    for name in FAMILIES:
        family = getattr(cast, name)
        if name in VISIBLE[viewer]:
            assert family_for_user(user, family.pk) == family
        else:
            with pytest.raises(Http404):
                family_for_user(user, family.pk)


def test_anonymous_reaches_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    assert not families_for_user(AnonymousUser()).exists()
    assert not cohorts_for_user(AnonymousUser()).exists()


def test_malformed_ids_are_404(cast):
    for bad in ("abc", None, "1.5", ""):
        with pytest.raises(Http404):
            family_for_user(cast.admin, bad)


def test_facilitator_loses_access_when_removed_from_the_cohort(cast):
    from babysteps.cohorts.services import cohort_facilitator_remove

    cohort_facilitator_remove(cohort=cast.cohort_a, user=cast.support_a, removed_by=cast.manager_a)
    with pytest.raises(Http404):
        family_for_user(cast.support_a, cast.family_a.pk)


def test_cohort_scope_and_management(cast):
    assert set(cohorts_for_user(cast.midwife_a)) == {cast.cohort_a}
    assert set(cohorts_for_user(cast.manager_a)) == {cast.cohort_a, cast.cohort_a2}
    assert set(cohorts_for_user(cast.evaluator)) == set()
    with pytest.raises(PermissionDenied):
        cohort_for_user(cast.midwife_a, cast.cohort_a.pk, action=Action.CHANGE)
    assert cohort_for_user(cast.manager_a, cast.cohort_a.pk, action=Action.CHANGE) == cast.cohort_a
    with pytest.raises(Http404):
        cohort_for_user(cast.manager_a, cast.cohort_b.pk, action=Action.CHANGE)


def test_a_facilitator_membership_at_one_site_does_not_open_another(cast):
    """A facilitator linked to a cohort of a site where they hold no role sees nothing."""
    from tests.factories import facilitate

    facilitate(cast.cohort_b, cast.midwife_a)  # e.g. left over after a move
    with pytest.raises(Http404):
        family_for_user(cast.midwife_a, cast.family_b.pk)
