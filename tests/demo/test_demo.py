import base64
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from babysteps.accounts.models import User
from babysteps.audit.models import AuditEvent
from babysteps.cohorts.models import Cohort, Enrolment
from babysteps.cohorts.selectors import cohort_cofacilitation, cohorts_with_staffing
from babysteps.families.models import Baby, Family
from babysteps.licensing.models import Organisation, Site
from tests.factories import today

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = [
    "admin@nspcc.demo",
    "evaluator@nspcc.demo",
    "manager@blackpool.demo",
    "midwife@blackpool.demo",
    "familysupport@blackpool.demo",
    "manager@riverside.demo",
    "hv@riverside.demo",
]


def _demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, Site, User, Cohort, Family, Enrolment, Baby)
    }


def test_demo_is_idempotent_and_prints_the_logins(settings):
    first = _demo()
    counts = _counts()
    second = _demo()
    assert _counts() == counts
    for email in DEMO_ACCOUNTS:
        assert email in first and email in second
    assert f"password: {settings.DEMO_PASSWORD}" in first


def test_demo_accounts_sign_in_with_the_demo_password(settings):
    _demo()
    for email in DEMO_ACCOUNTS:
        client = Client()
        response = client.post(
            reverse("accounts:login"), {"username": email, "password": settings.DEMO_PASSWORD}
        )
        assert response.status_code == 302, email
        # The password alone reaches no staff page: the demo key's code is asked for.
        asked = client.get(reverse("home:index"))
        assert asked.status_code == 302 and asked["Location"].startswith("/accounts/two-factor/")
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        assert device.bin_key == base64.b32decode(settings.DEMO_TOTP_SECRET)
        code = f"{totp(device.bin_key):06d}"
        client.post(reverse("accounts:second_factor"), {"code": code, "next": "/"})
        assert client.get(reverse("home:index")).status_code == 200, email


def test_demo_has_the_shape_the_issue_asks_for():
    _demo()
    assert Organisation.objects.count() == 2
    blackpool, riverside = Site.objects.get(name="Blackpool"), Site.objects.get(name="Riverside")
    assert blackpool.offer == "universal" and riverside.offer == "targeted"
    bp_cohorts = {c.start_date.year: c for c in Cohort.objects.filter(site=blackpool)}
    assert bp_cohorts[2019].delivery_mode == "group"
    assert bp_cohorts[2020].delivery_mode == "remote"
    assert bp_cohorts[2020].start_date.month in (2, 3, 4, 5)
    assert Cohort.objects.filter(site=riverside).count() == 1
    # Families at different stages: antenatal now, postnatal now, and withdrawn.
    now = today()
    antenatal = Family.objects.filter(estimated_due_date__gt=now, babies__isnull=True)
    postnatal = Family.objects.filter(babies__date_of_birth__lte=now)
    assert antenatal.exists() and postnatal.exists()
    assert Enrolment.objects.filter(status="withdrawn").exclude(withdrawal_reason="").exists()
    for family in Family.objects.all():
        assert family.identifier.startswith("999"), "NHS numbers must be from the test range"


def test_demo_shows_a_cofacilitation_gap_at_the_targeted_site():
    _demo()
    riverside = cohorts_with_staffing(Cohort.objects.filter(site__name="Riverside")).get()
    assert not cohort_cofacilitation(cohort=riverside).meets_condition
    for cohort in cohorts_with_staffing(Cohort.objects.filter(site__name="Blackpool")):
        assert cohort_cofacilitation(cohort=cohort).meets_condition


def test_demo_writes_are_audited_as_coming_from_a_command():
    _demo()
    channels = set(AuditEvent.objects.values_list("channel", flat=True))
    assert channels == {"command"}
