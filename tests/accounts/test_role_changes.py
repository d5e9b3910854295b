"""Every grant, change and removal of a role is an audit event, from the Django admin too;
role combinations that defeat pseudonymisation are refused wherever they are tried."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from babysteps.accounts.models import Membership, Role
from babysteps.accounts.services import membership_grant
from babysteps.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def _events(**filters):
    return AuditEvent.objects.filter(object_type="membership", **filters)


def test_a_grant_in_the_admin_is_audited_with_the_admin_as_actor(cast, client_for):
    admin = client_for(cast.admin)
    response = admin.post(
        reverse("admin:accounts_membership_add"),
        {"user": cast.midwife_a.pk, "role": Role.SITE_MANAGER, "site": cast.site_a.pk},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=cast.midwife_a, role=Role.SITE_MANAGER)
    event = _events(action=Action.CREATE, object_id=str(membership.pk)).get()
    assert event.actor_id == cast.admin.pk and event.site_id == cast.site_a.pk
    assert event.detail == {
        "user_id": cast.midwife_a.pk,
        "role": Role.SITE_MANAGER,
        "site_id": cast.site_a.pk,
    }


def test_a_change_and_a_bulk_delete_in_the_admin_are_audited(cast, client_for):
    admin = client_for(cast.admin)
    membership = Membership.objects.get(user=cast.midwife_a)
    response = admin.post(
        reverse("admin:accounts_membership_change", args=[membership.pk]),
        {"user": cast.midwife_a.pk, "role": Role.SITE_MANAGER, "site": cast.site_a.pk},
    )
    assert response.status_code == 302
    change = _events(action=Action.CHANGE).get()
    assert change.actor_id == cast.admin.pk
    assert change.detail["was"] == {"role": Role.FACILITATOR, "site_id": cast.site_a.pk}
    response = admin.post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert response.status_code == 302
    removal = _events(action=Action.DELETE).get()
    assert removal.actor_id == cast.admin.pk and removal.object_id == str(membership.pk)


def test_deactivating_in_the_admin_is_audited(cast, client_for):
    admin = client_for(cast.admin)
    user = cast.support_a
    response = admin.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "email": user.email,
            "full_name": user.full_name,
            "work_mobile": "",
            "is_staff": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "practitioner-TOTAL_FORMS": "0",
            "practitioner-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(object_type="user", object_id=str(user.pk), action=Action.CHANGE)
    assert event.actor_id == cast.admin.pk
    assert event.detail["is_active"] is False and "is_active" in event.detail["fields"]


def test_an_evaluator_cannot_also_hold_a_site_role_in_the_admin(cast, client_for):
    admin = client_for(cast.admin)
    response = admin.post(
        reverse("admin:accounts_membership_add"),
        {"user": cast.evaluator.pk, "role": Role.SITE_MANAGER, "site": cast.site_a.pk},
    )
    assert response.status_code == 200
    assert "cannot also be Site manager" in response.content.decode()
    assert not Membership.objects.filter(user=cast.evaluator, role=Role.SITE_MANAGER).exists()
    assert not _events(action=Action.CREATE, actor=cast.admin).exists()


def test_the_admin_inline_checks_roles_saved_together(cast, client_for):
    """Two new rows at once: each alone is fine, together they are not."""
    admin = client_for(cast.admin)
    user = cast.no_role
    response = admin.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "email": user.email,
            "full_name": user.full_name,
            "work_mobile": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "practitioner-TOTAL_FORMS": "0",
            "practitioner-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-role": Role.NSPCC_EVALUATOR,
            "memberships-0-site": "",
            "memberships-1-role": Role.NSPCC_SAFE_AND_WELL,
            "memberships-1-site": "",
        },
    )
    assert response.status_code == 200
    assert "cannot also be NSPCC safe-and-well practitioner" in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "role",
    [
        Role.SITE_MANAGER,
        Role.FACILITATOR,
        Role.NSPCC_SAFE_AND_WELL,
        Role.NSPCC_SAFE_AND_WELL_LEAD,
        Role.NSPCC_ADMIN,
    ],
)
def test_the_forbidden_combinations_are_refused_by_the_service_and_the_model(cast, role):
    site_id = cast.site_a.pk if role in (Role.SITE_MANAGER, Role.FACILITATOR) else None
    with pytest.raises(ValidationError, match="pseudonymised data only"):
        membership_grant(user=cast.evaluator, role=role, site_id=site_id)
    # Whoever holds the identifiable role cannot become an evaluator either, even by a
    # bare create that skipped the forms.
    holder = {
        Role.SITE_MANAGER: cast.manager_a,
        Role.FACILITATOR: cast.midwife_a,
        Role.NSPCC_SAFE_AND_WELL: cast.safe_and_well,
        Role.NSPCC_ADMIN: cast.admin,
    }.get(role)
    if holder is not None:
        with pytest.raises(ValidationError, match="pseudonymised data only"):
            Membership.objects.create(user=holder, role=Role.NSPCC_EVALUATOR)
    assert list(cast.evaluator.memberships.values_list("role", flat=True)) == [Role.NSPCC_EVALUATOR]


def test_allowed_combinations_still_work(cast):
    membership_grant(user=cast.midwife_a, role=Role.SITE_MANAGER, site_id=cast.site_a.pk)
    membership_grant(user=cast.safe_and_well, role=Role.NSPCC_SAFE_AND_WELL_LEAD)
    assert Membership.objects.filter(user=cast.midwife_a).count() == 2
