"""Factories for test data. Dates are relative to today so tests never go stale."""

from datetime import date, timedelta

import factory
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from babysteps.accounts.models import Membership, PractitionerProfile, ProfessionalRole, User
from babysteps.cohorts.models import Cohort, CohortFacilitator, Enrolment
from babysteps.families.models import Family, Parent
from babysteps.licensing.models import Licence, Organisation, Site

PASSWORD = "correct horse battery staple"


def today() -> date:
    return timezone.localdate()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"LIC-{n:04d}")
    status = Licence.Status.ACTIVE
    start_date = date(2015, 1, 1)
    end_date = factory.LazyFunction(lambda: today() + timedelta(days=3 * 365))


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    licence = factory.SubFactory(
        LicenceFactory, organisation=factory.SelfAttribute("..organisation")
    )
    name = factory.Sequence(lambda n: f"Site {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    password = factory.django.Password(PASSWORD)  # hashed before the one save


def make_staff(
    *,
    role: str,
    site: Site | None = None,
    professional_role: str | None = None,
    trained: bool = True,
    **user_fields: object,
) -> User:
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, role=role, site=site)
    if professional_role:
        PractitionerProfile.objects.create(
            user=user,
            professional_role=professional_role,
            training_completed_on=today() - timedelta(days=100) if trained else None,
        )
    return user


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    start_date = factory.LazyFunction(lambda: today() + timedelta(days=14))
    due_date_from = factory.LazyFunction(lambda: today() + timedelta(days=80))
    due_date_to = factory.LazyFunction(lambda: today() + timedelta(days=120))
    capacity = 8


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family
        skip_postgeneration_save = True

    site = factory.SubFactory(SiteFactory)
    estimated_due_date = factory.LazyFunction(lambda: today() + timedelta(days=100))
    postcode = "FY1 4AB"
    created_by = factory.SubFactory(UserFactory)
    mother = factory.RelatedFactory(
        "tests.factories.ParentFactory", factory_related_name="family", role=Parent.Role.MOTHER
    )


class ParentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parent

    family = factory.SubFactory(FamilyFactory)
    role = Parent.Role.MOTHER
    given_name = factory.Sequence(lambda n: f"Mum{n}")
    family_name = factory.Sequence(lambda n: f"Parent{n}")
    email = factory.Sequence(lambda n: f"parent{n}@example.test")


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    family = factory.SubFactory(FamilyFactory)
    cohort = factory.SubFactory(CohortFactory, site=factory.SelfAttribute("..family.site"))
    status = Enrolment.Status.ACTIVE
    status_changed_on = factory.LazyFunction(today)
    created_by = factory.SelfAttribute("family.created_by")


def facilitate(cohort: Cohort, *users: User) -> None:
    for user in users:
        CohortFacilitator.objects.create(cohort=cohort, user=user)


__all__ = [
    "PASSWORD",
    "CohortFactory",
    "EnrolmentFactory",
    "FamilyFactory",
    "LicenceFactory",
    "OrganisationFactory",
    "ParentFactory",
    "ProfessionalRole",
    "SiteFactory",
    "UserFactory",
    "facilitate",
    "make_staff",
    "today",
]


APP_KEY = "0803894c8f90c8c74dd37c8828926a2635be77df"  # the demo's DEMO_TOTP_SECRET, in hex


def app_code(user: User) -> str:
    """The code the user's authenticator app shows now (one is set up if they have none,
    with a known key), by django-otp's own algorithm."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", key=APP_KEY)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign in through the real forms: the password, then the app's code. Returns the
    response to the code."""
    client.post(reverse("accounts:login"), {"username": email, "password": password})
    user = User.objects.get(email=email.strip().lower())
    return client.post(reverse("accounts:second_factor"), {"code": app_code(user), "next": "/"})
