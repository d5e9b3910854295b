"""Site managers invite, change and remove their own site's staff; every step is audited;
another site's staff are 404; role combinations that defeat pseudonymisation are refused."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from babysteps.accounts.models import Membership, ProfessionalRole, Role, User
from babysteps.audit.models import Action, AuditEvent
from tests.factories import app_code, sign_in

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-long-new-passphrase-7"


def _invite(client: Client, site, **fields):
    data = {
        "email": "New.Starter@Example.test ",
        "full_name": "New Starter",
        "roles": [Role.FACILITATOR],
        "professional_role": ProfessionalRole.MIDWIFE,
        **fields,
    }
    return client.post(reverse("staff:invite", args=[site.pk]), data)


def _link_from_email() -> str:
    body = mail.outbox[-1].body
    return re.search(r"http://\S+/staff/invitation/\?\S+", body).group(0)


def _open_link(client: Client, link: str):
    return client.get(link.split("testserver", 1)[-1].replace("http://127.0.0.1:8000", ""))


def test_a_site_manager_invites_and_the_new_member_joins_with_a_second_factor(cast, client_for):
    manager = client_for(cast.manager_a)
    response = _invite(manager, cast.site_a)
    assert response.status_code == 302
    user = User.objects.get(email="new.starter@example.test")
    assert not user.has_usable_password() and user.is_active
    assert set(user.memberships.values_list("role", "site")) == {(Role.FACILITATOR, cast.site_a.pk)}
    assert user.practitioner.professional_role == ProfessionalRole.MIDWIFE
    # Audited with the manager as the actor: the account and the role.
    created = AuditEvent.objects.filter(actor=cast.manager_a, action=Action.CREATE)
    assert set(created.values_list("object_type", flat=True)) >= {"user", "membership"}
    # The email: a one-use link in the query string, no family details.
    assert mail.outbox[-1].to == ["new.starter@example.test"]
    link = _link_from_email()
    assert "token=" in link

    newcomer = Client()
    landing = _open_link(newcomer, link)
    assert landing.status_code == 302 and landing.url == reverse("staff:invitation_password")
    assert "token" not in landing.url
    page = newcomer.get(landing.url)
    assert page.status_code == 200 and "New Starter" in page.content.decode()
    done = newcomer.post(
        landing.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done.url == reverse("accounts:login")
    # One use: the same link now fails.
    again = _open_link(Client(), link)
    assert again.status_code == 404
    # First sign-in: the password alone reaches nothing; the second factor is set up first.
    newcomer.post(
        reverse("accounts:login"),
        {"username": "new.starter@example.test", "password": NEW_PASSWORD},
    )
    home = newcomer.get(reverse("home:index"))
    assert home.status_code == 302 and home.url.startswith(reverse("accounts:second_factor_setup"))


def test_a_weak_password_is_refused_and_the_link_still_works(cast, client_for):
    _invite(client_for(cast.manager_a), cast.site_a)
    newcomer = Client()
    landing = _open_link(newcomer, _link_from_email())
    response = newcomer.post(landing.url, {"new_password1": "abc", "new_password2": "abc"})
    assert response.status_code == 422
    assert not User.objects.get(email="new.starter@example.test").has_usable_password()


def test_an_invitation_expires(cast, client_for, settings):
    _invite(client_for(cast.manager_a), cast.site_a)
    link = _link_from_email()
    with time_machine.travel(timezone.now() + timedelta(days=settings.STAFF_INVITATION_DAYS + 1)):
        assert _open_link(Client(), link).status_code == 404


def test_a_resent_invitation_replaces_the_old_link(cast, client_for):
    manager = client_for(cast.manager_a)
    _invite(manager, cast.site_a)
    first = _link_from_email()
    user = User.objects.get(email="new.starter@example.test")
    manager.post(reverse("staff:resend", args=[cast.site_a.pk, user.pk]))
    second = _link_from_email()
    assert first != second
    assert _open_link(Client(), first).status_code == 404
    assert _open_link(Client(), second).status_code == 302


def test_invite_form_errors_are_clear_and_save_nothing(cast, client_for):
    manager = client_for(cast.manager_a)
    before = User.objects.count()
    no_role = _invite(manager, cast.site_a, roles=[])
    assert no_role.status_code == 422 and "roles" in no_role.context["form"].errors
    no_profession = _invite(manager, cast.site_a, professional_role="")
    assert no_profession.status_code == 422
    assert "professional_role" in no_profession.context["form"].errors
    colleague = _invite(manager, cast.site_a, email=cast.midwife_a.email)
    assert colleague.status_code == 422 and "already on this site" in colleague.content.decode()
    assert User.objects.count() == before and not mail.outbox


def test_a_colleague_from_another_site_gains_the_role_without_a_new_account(cast, client_for):
    response = _invite(client_for(cast.manager_a), cast.site_a, email=cast.facilitator_b.email)
    assert response.status_code == 302
    assert Membership.objects.filter(user=cast.facilitator_b, site=cast.site_a).exists()
    assert not mail.outbox


def test_a_site_manager_changes_roles_and_it_is_audited(cast, client_for):
    manager = client_for(cast.manager_a)
    url = reverse("staff:member", args=[cast.site_a.pk, cast.support_a.pk])
    response = manager.post(url, {"roles": [Role.FACILITATOR, Role.SITE_MANAGER]})
    assert response.status_code == 302
    assert set(
        Membership.objects.filter(user=cast.support_a, site=cast.site_a).values_list(
            "role", flat=True
        )
    ) == {Role.FACILITATOR, Role.SITE_MANAGER}
    grant = AuditEvent.objects.get(
        object_type="membership", action=Action.CREATE, actor=cast.manager_a
    )
    assert grant.detail == {
        "user_id": cast.support_a.pk,
        "role": Role.SITE_MANAGER,
        "site_id": cast.site_a.pk,
    }
    manager.post(url, {"roles": [Role.FACILITATOR]})
    removal = AuditEvent.objects.get(object_type="membership", action=Action.DELETE)
    assert removal.actor_id == cast.manager_a.pk and removal.detail["role"] == Role.SITE_MANAGER


def test_a_site_manager_removes_a_leaver_whose_sessions_end_at_once(cast, client_for):
    leaver = client_for(cast.facilitator_a2)
    assert leaver.get(reverse("cohorts:list")).status_code == 200
    manager = client_for(cast.manager_a)
    url = reverse("staff:remove", args=[cast.site_a.pk, cast.facilitator_a2.pk])
    confirm = manager.get(url)
    assert confirm.status_code == 200 and "Remove Facilitator A2" in confirm.content.decode()
    assert manager.post(url).status_code == 302
    cast.facilitator_a2.refresh_from_db()
    assert not cast.facilitator_a2.is_active
    assert not Membership.objects.filter(user=cast.facilitator_a2).exists()
    # Their open session is over.
    after = leaver.get(reverse("cohorts:list"))
    assert after.status_code == 302 and after.url.startswith(reverse("accounts:login"))
    deactivated = AuditEvent.objects.get(
        object_type="user", object_id=str(cast.facilitator_a2.pk), action=Action.CHANGE
    )
    assert deactivated.actor_id == cast.manager_a.pk
    assert deactivated.detail == {"fields": ["is_active"], "is_active": False}


def test_someone_with_roles_elsewhere_keeps_their_account(cast, client_for):
    Membership.objects.create(user=cast.facilitator_a2, role=Role.FACILITATOR, site=cast.site_b)
    client_for(cast.manager_a).post(
        reverse("staff:remove", args=[cast.site_a.pk, cast.facilitator_a2.pk])
    )
    cast.facilitator_a2.refresh_from_db()
    assert cast.facilitator_a2.is_active
    assert list(cast.facilitator_a2.memberships.values_list("site", flat=True)) == [cast.site_b.pk]


def test_a_manager_cannot_change_or_remove_themselves(cast, client_for):
    manager = client_for(cast.manager_a)
    response = manager.post(reverse("staff:remove", args=[cast.site_a.pk, cast.manager_a.pk]))
    assert response.status_code == 422 and "cannot remove yourself" in response.content.decode()
    cast.manager_a.refresh_from_db()
    assert cast.manager_a.is_active


@pytest.mark.parametrize("name", ["members", "invite", "member", "remove", "resend"])
def test_another_sites_staff_are_404(cast, client_for, name):
    manager = client_for(cast.manager_a)
    args = {
        "members": [cast.site_b.pk],
        "invite": [cast.site_b.pk],
        "member": [cast.site_b.pk, cast.facilitator_b.pk],
        "remove": [cast.site_b.pk, cast.facilitator_b.pk],
        "resend": [cast.site_b.pk, cast.facilitator_b.pk],
    }[name]
    method = manager.post if name in {"remove", "resend"} else manager.get
    assert method(reverse(f"staff:{name}", args=args)).status_code == 404
    # A member of another site under one's own site's address: still 404.
    if len(args) == 2:
        own_site = [cast.site_a.pk, cast.facilitator_b.pk]
        assert method(reverse(f"staff:{name}", args=own_site)).status_code == 404
    assert Membership.objects.filter(user=cast.facilitator_b).exists()
    assert cast.facilitator_b.is_active


def test_only_site_managers_reach_the_staff_pages(cast, client_for):
    assert client_for(cast.midwife_a).get(reverse("staff:sites")).status_code == 403
    assert client_for(cast.admin).get(reverse("staff:sites")).status_code == 403
    page = client_for(cast.manager_a).get(reverse("staff:members", args=[cast.site_a.pk]))
    body = page.content.decode()
    assert "Midwife A" in body or cast.midwife_a.full_name in body
    assert cast.facilitator_b.full_name not in body


def test_the_members_list_is_a_few_queries_whatever_its_length(
    cast, client_for, django_assert_max_num_queries
):
    from tests.factories import make_staff

    for n in range(30):
        make_staff(role=Role.FACILITATOR, site=cast.site_a, full_name=f"Extra {n:02}")
    manager = client_for(cast.manager_a)
    url = reverse("staff:members", args=[cast.site_a.pk])
    with django_assert_max_num_queries(14):
        response = manager.get(url)
    assert response.status_code == 200
    assert "Page 1 of 2" in response.content.decode()


def test_sign_in_helpers_still_work_for_invited_staff(cast, client_for):
    """The invited member, once joined, signs in with password and second factor."""
    _invite(client_for(cast.manager_a), cast.site_a)
    newcomer = Client()
    landing = _open_link(newcomer, _link_from_email())
    newcomer.post(landing.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user = User.objects.get(email="new.starter@example.test")
    app_code(user)  # an authenticator app with a known key, as if set up
    response = sign_in(Client(), "new.starter@example.test", NEW_PASSWORD)
    assert response.status_code == 302
