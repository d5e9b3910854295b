"""Every page renders for the roles that use it, with the content they need."""

from datetime import timedelta

import pytest
from django.urls import reverse

from babysteps.audit.models import AuditEvent
from babysteps.cohorts.models import Cohort, CohortFacilitator, Enrolment, PlannedSession
from babysteps.cohorts.services import cohort_schedule_generate
from babysteps.families.models import Baby, Consent, Family
from tests.factories import today

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_public(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert b"Email address" in response.content


def test_sign_in_and_out(client, cast):
    from tests.factories import PASSWORD, app_code

    response = client.post(
        reverse("accounts:login"), {"username": cast.midwife_a.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    # The password alone reaches no staff page: the second factor comes first.
    assert client.get(reverse("home:index"))["Location"].startswith("/accounts/two-factor/")
    code = app_code(cast.midwife_a)
    client.post(reverse("accounts:second_factor"), {"code": code, "next": "/"})
    assert client.get(reverse("home:index")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home:index")).status_code == 302


def test_wrong_password_does_not_say_whether_the_account_exists(client, cast):
    wrong = client.post(
        reverse("accounts:login"), {"username": cast.midwife_a.email, "password": "nope"}
    )
    unknown = client.post(
        reverse("accounts:login"), {"username": "nobody@example.test", "password": "nope"}
    )
    assert wrong.status_code == unknown.status_code == 200
    assert b"Enter a correct email address and password" in wrong.content
    assert b"Enter a correct email address and password" in unknown.content


def test_facilitator_home_shows_their_cohorts_and_what_is_next(client_for, cast):
    cohort_schedule_generate(cohort=cast.cohort_a)
    content = client_for(cast.midwife_a).get(reverse("home:index")).content.decode()
    assert "Cohort A" in content
    assert "Cohort B" not in content and "Cohort A2" not in content
    assert "S1: Our developing baby" in content


def test_manager_home_warns_about_cofacilitation_and_shows_staffing(client_for, cast):
    content = client_for(cast.manager_a).get(reverse("home:index")).content.decode()
    assert "Co-facilitation warnings" in content
    assert "Cohort A2" in content  # only a health visitor: flagged
    assert "Midwife A" in content and "Support A" in content
    assert "Site B" not in content


def test_admin_home_lists_every_site(client_for, cast):
    content = client_for(cast.admin).get(reverse("home:index")).content.decode()
    assert "Site A" in content and "Site B" in content


def test_user_without_a_role_is_told_so(client_for, cast):
    response = client_for(cast.no_role).get(reverse("home:index"))
    assert response.status_code == 403
    assert b"not part of your role" in response.content


def test_evaluator_cannot_open_the_caseload(client_for, cast):
    assert client_for(cast.evaluator).get(reverse("families:list")).status_code == 403


def test_caseload_shows_only_families_in_scope(client_for, cast):
    content = client_for(cast.midwife_a).get(reverse("families:list")).content.decode()
    assert "Alice" in content
    assert "Amira" not in content and "Bella" not in content
    manager = client_for(cast.manager_a).get(reverse("families:list")).content.decode()
    assert "Alice" in manager and "Amira" in manager and "Bella" not in manager


@pytest.mark.parametrize(
    "query", ["alice", "Alice Parent", "943 476 5919", "9434765919", "FY1", "fy1 4ab"]
)
def test_caseload_search(client_for, cast, query):
    Family.objects.filter(pk=cast.family_a.pk).update(identifier="9434765919", postcode="FY1 4AB")
    Family.objects.filter(pk=cast.family_a2.pk).update(postcode="LS9 8AU")
    cast.family_a.mother.family_name = "Parent"
    cast.family_a.mother.save()
    content = (
        client_for(cast.manager_a).get(reverse("families:list"), {"q": query}).content.decode()
    )
    assert "Alice" in content
    assert "Amira" not in content


def test_caseload_search_with_no_match_says_so(client_for, cast):
    content = (
        client_for(cast.manager_a).get(reverse("families:list"), {"q": "zzz"}).content.decode()
    )
    assert "No families match" in content


def test_caseload_is_paginated(client_for, cast, settings):
    settings.PAGE_SIZE = 2
    content = client_for(cast.manager_a).get(reverse("families:list")).content.decode()
    assert "Page 1 of 2" in content
    page2 = client_for(cast.manager_a).get(reverse("families:list"), {"page": "2"})
    assert page2.status_code == 200
    # A nonsense page number gives a page, not an error.
    assert (
        client_for(cast.manager_a).get(reverse("families:list"), {"page": "x"}).status_code == 200
    )


def test_family_page_shows_the_record(client_for, cast):
    response = client_for(cast.midwife_a).get(reverse("families:detail", args=[cast.family_a.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Alice" in content and "Cohort A" in content and "Not asked" in content
    assert "Audit trail" not in content  # facilitators do not see the audit trail


def test_cohort_page_shows_families_schedule_and_facilitators(client_for, cast):
    cohort_schedule_generate(cohort=cast.cohort_a)
    content = (
        client_for(cast.midwife_a)
        .get(reverse("cohorts:detail", args=[cast.cohort_a.pk]))
        .content.decode()
    )
    assert "Alice" in content and "Midwife A" in content and "HV1" in content and "S9" in content
    assert "Change cohort details" not in content  # facilitators cannot manage


def test_cohort_page_flags_missing_cofacilitation(client_for, cast):
    content = (
        client_for(cast.manager_a)
        .get(reverse("cohorts:detail", args=[cast.cohort_a2.pk]))
        .content.decode()
    )
    assert "Does not meet the co-facilitation condition" in content


def test_manager_records_a_family_through_the_form(client_for, cast):
    client = client_for(cast.manager_a)
    data = {
        "site": cast.site_a.pk,
        "cohort": cast.cohort_a.pk,
        "mother_given_name": "Zoe",
        "mother_family_name": "Marsden",
        "partner_role": "partner",
        "partner_given_name": "Callum",
        "partner_family_name": "Reid",
        "estimated_due_date": (today() + timedelta(days=100)).isoformat(),
        "identifier_type": "nhs",
        "identifier": "943 476 5919",
        "postcode": "FY4 1DX",
        "preferred_language": "English",
        "contact_by_sms": "on",
        "preferred_channel": "sms",
    }
    response = client.post(reverse("placements:family_create"), data)
    family = Family.objects.get(identifier="9434765919")
    assert response.status_code == 302
    assert response["Location"] == reverse("families:detail", args=[family.pk])
    assert Enrolment.objects.filter(family=family, cohort=cast.cohort_a).exists()


def test_family_form_errors_are_shown_on_their_fields(client_for, cast):
    client = client_for(cast.manager_a)
    before = Family.objects.count()
    response = client.post(
        reverse("placements:family_create"),
        {
            "site": cast.site_a.pk,
            "mother_given_name": "Zoe",
            "mother_family_name": "Marsden",
            "estimated_due_date": (today() + timedelta(days=400)).isoformat(),
            "identifier_type": "nhs",
            "identifier": "123 456 7890",
            "postcode": "FY4 1DX",
            "preferred_language": "English",
            "contact_by_sms": "on",
            "preferred_channel": "email",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "preferred channel must be one they allow" in content
    assert Family.objects.count() == before
    response = client.post(
        reverse("placements:family_create"),
        {
            "site": cast.site_a.pk,
            "mother_given_name": "Zoe",
            "mother_family_name": "Marsden",
            "estimated_due_date": (today() + timedelta(days=400)).isoformat(),
            "identifier_type": "nhs",
            "identifier": "123 456 7890",
            "postcode": "FY4 1DX",
            "preferred_language": "English",
            "contact_by_sms": "on",
            "preferred_channel": "sms",
        },
    )
    content = response.content.decode()
    assert "check digit is wrong" in content
    assert "more than 10 months away" in content
    assert Family.objects.count() == before


def test_facilitator_must_place_a_new_family_in_their_cohort(client_for, cast):
    response = client_for(cast.midwife_a).post(
        reverse("placements:family_create"),
        {
            "site": cast.site_a.pk,
            "mother_given_name": "Zoe",
            "mother_family_name": "Marsden",
            "estimated_due_date": (today() + timedelta(days=100)).isoformat(),
            "identifier_type": "nhs",
            "postcode": "FY4 1DX",
            "preferred_language": "English",
            "contact_by_sms": "on",
            "preferred_channel": "sms",
        },
    )
    assert "Choose one of your cohorts" in response.content.decode()
    response = client_for(cast.midwife_a).post(
        reverse("placements:family_create"),
        {"site": cast.site_a.pk, "cohort": cast.cohort_b.pk},
    )
    assert "Choose one of your site" in response.content.decode()


def test_family_edit_form_saves_changes(client_for, cast):
    client = client_for(cast.midwife_a)
    url = reverse("families:edit", args=[cast.family_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data.update(
        estimated_due_date=cast.family_a.estimated_due_date.isoformat(),
        postcode="LS9 8AU",
        preferred_channel="sms",
        contact_by_sms="on",
        identifier_type="nhs",
        preferred_language="English",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cast.family_a.refresh_from_db()
    assert cast.family_a.postcode == "LS9 8AU"


def test_baby_and_consent_forms(client_for, cast):
    client = client_for(cast.midwife_a)
    due = cast.family_a.estimated_due_date
    Family.objects.filter(pk=cast.family_a.pk).update(
        estimated_due_date=today() - timedelta(days=10)
    )
    response = client.post(
        reverse("families:baby", args=[cast.family_a.pk]),
        {
            "date_of_birth": (today() - timedelta(days=12)).isoformat(),
            "gestation_weeks": 39,
            "birth_weight_grams": 3300,
            "mode_of_birth": "vaginal",
        },
    )
    assert response.status_code == 302
    assert Baby.objects.filter(family=cast.family_a).exists()
    response = client.post(
        reverse("families:consent", args=[cast.family_a.pk]),
        {
            "kind": "evaluation",
            "given": "yes",
            "given_by": "mother",
            "method": "verbal",
            "decided_on": today().isoformat(),
        },
    )
    assert response.status_code == 302
    assert Consent.objects.get(family=cast.family_a).given is True
    assert due


def test_enrolment_status_form(client_for, cast):
    client = client_for(cast.midwife_a)
    url = reverse("placements:enrolment_status", args=[cast.family_a.pk, cast.enrolment_a.pk])
    response = client.post(url, {"status": "withdrawn", "withdrawal_reason": ""}, follow=True)
    assert "Say why the family is withdrawing" in response.content.decode()
    client.post(url, {"status": "withdrawn", "withdrawal_reason": "Moved away"})
    cast.enrolment_a.refresh_from_db()
    assert cast.enrolment_a.status == "withdrawn"


def test_enrol_an_unplaced_family(client_for, cast):
    client = client_for(cast.manager_a)
    response = client.post(
        reverse("placements:enrol", args=[cast.family_a_unplaced.pk]), {"cohort": cast.cohort_a2.pk}
    )
    assert response.status_code == 302
    assert Enrolment.objects.filter(family=cast.family_a_unplaced, cohort=cast.cohort_a2).exists()


def test_manager_creates_and_edits_a_cohort(client_for, cast):
    client = client_for(cast.manager_a)
    response = client.post(
        reverse("cohorts:create"),
        {
            "site": cast.site_a.pk,
            "name": "Summer",
            "start_date": (today() + timedelta(days=10)).isoformat(),
            "due_date_from": (today() + timedelta(days=80)).isoformat(),
            "due_date_to": (today() + timedelta(days=110)).isoformat(),
            "capacity": 8,
            "delivery_mode": "blended",
        },
    )
    cohort = Cohort.objects.get(name="Summer")
    assert response.status_code == 302
    assert PlannedSession.objects.filter(cohort=cohort).count() == 11
    response = client.post(
        reverse("cohorts:edit", args=[cohort.pk]),
        {
            "name": "Summer",
            "start_date": (today() + timedelta(days=10)).isoformat(),
            "due_date_from": (today() + timedelta(days=80)).isoformat(),
            "due_date_to": (today() + timedelta(days=70)).isoformat(),
            "capacity": 8,
            "delivery_mode": "blended",
        },
    )
    assert "must be on or after" in response.content.decode()


def test_manager_cannot_create_a_cohort_at_another_site(client_for, cast):
    response = client_for(cast.manager_a).post(
        reverse("cohorts:create"),
        {
            "site": cast.site_b.pk,
            "name": "Sneaky",
            "start_date": (today() + timedelta(days=10)).isoformat(),
            "due_date_from": (today() + timedelta(days=80)).isoformat(),
            "due_date_to": (today() + timedelta(days=110)).isoformat(),
            "capacity": 8,
            "delivery_mode": "group",
        },
    )
    assert response.status_code == 200
    assert not Cohort.objects.filter(name="Sneaky").exists()


def test_facilitator_form_gives_clear_errors(client_for, cast):
    from babysteps.accounts.models import ProfessionalRole, Role
    from tests.factories import make_staff

    trainee = make_staff(
        role=Role.FACILITATOR,
        site=cast.site_a,
        professional_role=ProfessionalRole.SOCIAL_WORKER,
        trained=False,
    )
    client = client_for(cast.manager_a)
    url = reverse("cohorts:facilitators", args=[cast.cohort_a2.pk])
    assert "(not trained)" in client.get(url).content.decode()
    response = client.post(url, {"user": trainee.pk})
    assert "has not completed Baby Steps training" in response.content.decode()
    response = client.post(url, {"user": cast.facilitator_b.pk})
    assert "is not a facilitator at this site" in response.content.decode()
    assert not CohortFacilitator.objects.filter(
        cohort=cast.cohort_a2, user__in=[trainee, cast.facilitator_b]
    ).exists()
    response = client.post(url, {"user": cast.support_a.pk})
    assert response.status_code == 302


def test_facilitator_cannot_manage_their_cohort(client_for, cast):
    client = client_for(cast.midwife_a)
    assert client.get(reverse("cohorts:edit", args=[cast.cohort_a.pk])).status_code == 403
    response = client.post(
        reverse("cohorts:facilitator_remove", args=[cast.cohort_a.pk, cast.support_a.pk])
    )
    assert response.status_code == 403
    assert CohortFacilitator.objects.filter(cohort=cast.cohort_a, user=cast.support_a).exists()


def test_manager_reschedules_a_session(client_for, cast):
    cohort_schedule_generate(cohort=cast.cohort_a)
    session = PlannedSession.objects.get(cohort=cast.cohort_a, component__code="S2")
    client = client_for(cast.manager_a)
    url = reverse("cohorts:session_edit", args=[cast.cohort_a.pk, session.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"starts_at": "2030-01-10T18:00", "duration_minutes": 100, "location": "Library"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.edited and session.duration_minutes == 100


def test_audit_trail_page_for_managers_only(client_for, cast):
    url = reverse("families:audit", args=[cast.family_a.pk])
    client_for(cast.midwife_a).get(reverse("families:detail", args=[cast.family_a.pk]))
    content = client_for(cast.manager_a).get(url).content.decode()
    assert "Midwife A" in content and "Viewed" in content
    assert client_for(cast.midwife_a).get(url).status_code == 403
    assert AuditEvent.objects.filter(family_id=cast.family_a.pk).exists()


def test_django_admin_is_for_nspcc_admins_only(client_for, cast):
    assert client_for(cast.admin).get("/admin/").status_code == 200
    assert client_for(cast.admin).get("/admin/programme/component/").status_code == 200
    response = client_for(cast.manager_a).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_personal_pages_and_the_api_are_never_stored(client_for, cast):
    """no-store on a family page, a portal page and an API item."""
    from django.test import Client

    from tests.videos.fixtures import parent_client

    staff = client_for(cast.midwife_a)
    family = staff.get(reverse("families:detail", args=[cast.family_a.pk]))
    assert family["Cache-Control"] == "no-store"
    api = staff.get(f"/api/v1/families/{cast.family_a.pk}")
    assert api.status_code == 200 and api["Cache-Control"] == "no-store"
    assert Client().get("/api/v1/families")["Cache-Control"] == "no-store"  # even a 401

    portal = parent_client(cast.family_a.mother).get(reverse("portal:home"))
    assert portal.status_code == 200 and portal["Cache-Control"] == "no-store"
