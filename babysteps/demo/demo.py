"""The foundation of the demo: two licensed sites, their staff, three cohorts and
families at every stage. Fictitious people; NHS numbers from the 999 test range;
phone numbers from Ofcom's drama range; emails at example.com."""

import random
from collections.abc import Iterator
from datetime import date, timedelta

from stdnum.gb import nhs

from babysteps.accounts.models import ProfessionalRole, Role, User
from babysteps.accounts.services import membership_grant, staff_create
from babysteps.cohorts.models import Cohort, Enrolment
from babysteps.cohorts.services import (
    cohort_create,
    cohort_facilitator_add,
    enrolment_change_status,
    family_register,
)
from babysteps.demo.registry import DemoContext, give_demo_second_factor, seeder
from babysteps.families.models import Baby, Consent, Parent
from babysteps.families.services import ParentDetails, baby_record, consent_record
from babysteps.licensing.models import Licence, Organisation, Site
from babysteps.training.services import completion_import

BLACKPOOL = "Blackpool Better Start"
RIVERSIDE = "Riverside Family Partnership"
COHORT_2019 = "Blackpool Autumn 2019 (group)"
COHORT_2020 = "Blackpool Spring 2020 (remote)"
COHORT_RIVERSIDE = "Riverside current cohort"

# (mother, partner or supporter, role, postcode, language, withdrawn reason)
BLACKPOOL_2019 = [
    ("Amy Clarke", "Daniel Clarke", "partner", "FY1 4AB", "English", ""),
    ("Chloe Walsh", "Ryan Holt", "partner", "FY1 6JD", "English", ""),
    ("Jade Parkinson", "Liam Parkinson", "partner", "FY2 9SP", "English", ""),
    ("Sophie Rigby", "Karen Rigby", "supporter", "FY3 7HN", "English", ""),
    ("Hannah Booth", "Tom Ashworth", "partner", "FY4 2RE", "English", ""),
    ("Laura Greenwood", "Mohammed Iqbal", "partner", "FY1 3TT", "English", ""),
    ("Megan Fielding", "Josh Fielding", "partner", "FY2 0AL", "English", "Moved out of the area"),
]
BLACKPOOL_2020 = [
    ("Emma Whittaker", "James Whittaker", "partner", "FY1 5QW", "English", ""),
    ("Rebecca Hartley", "Sam Hartley", "partner", "FY3 8LB", "English", ""),
    ("Zoe Marsden", "Callum Reid", "partner", "FY4 1DX", "English", ""),
    ("Aisha Patel", "Ravi Patel", "partner", "FY1 2EF", "Gujarati", ""),
    ("Gemma Lord", "Kyle Lord", "partner", "FY2 9BN", "English", ""),
    ("Natalie Brennan", "", "", "FY3 9PQ", "English", "Partner's shift work; chose to stop"),
]
RIVERSIDE_FAMILIES = [
    ("Olivia Marshall", "Ben Marshall", "partner", "LS9 8AU", "English", ""),
    ("Grace Okafor", "Chidi Okafor", "partner", "LS9 7DN", "English", ""),
    ("Ellie Shaw", "Kate Shaw", "supporter", "LS8 3QT", "English", ""),
    ("Maria Kowalska", "Piotr Kowalski", "partner", "LS9 6HZ", "Polish", ""),
    ("Fatima Begum", "Abdul Rahman", "partner", "LS8 5JB", "Bengali", ""),
    ("Kirsty Dunn", "", "", "LS9 0QE", "English", "Moved to another area"),
]


def test_range_nhs_numbers() -> Iterator[str]:
    """Valid NHS numbers from the 999 000 0000 - 999 999 9999 test range."""
    n = 9990000000
    while True:
        n += 1
        if nhs.is_valid(str(n)):
            yield str(n)


def _email(name: str) -> str:
    return name.lower().replace(" ", ".").replace("'", "") + "@example.com"


def _staff(
    ctx: DemoContext,
    email: str,
    name: str,
    role: str,
    site: Site | None,
    professional_role: str | None = None,
    trained: date | None = None,
    description: str = "",
    work_mobile: str = "",
) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = staff_create(
            email=email,
            full_name=name,
            password=ctx.password,
            professional_role=professional_role,
            work_mobile=work_mobile,
        )
        if trained is not None:
            # Trained before the register: an imported completion, as the migration made.
            completion_import(user=user, completed_on=trained, recorded_by=None)
    membership_grant(user=user, role=role, site_id=site.pk if site else None)
    if role == Role.NSPCC_ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    ctx.add_login(email, description or f"{Role(role).label}, {site or 'NSPCC'}")
    give_demo_second_factor(user)
    return user


def _add_families(
    *,
    ctx: DemoContext,
    cohort: Cohort,
    rows: list[tuple[str, str, str, str, str, str]],
    manager: User,
    first_due: date,
    rng: random.Random,
    numbers: Iterator[str],
    born: bool,
) -> None:
    referred_on = cohort.start_date - timedelta(days=35)
    for index, (mother, partner, partner_role, postcode, language, withdrawn) in enumerate(rows):
        due = first_due + timedelta(days=6 * index)
        given, family_name = mother.split(" ", 1)
        partner_details = None
        if partner:
            p_given, p_family = partner.split(" ", 1)
            partner_details = ParentDetails(
                given_name=p_given,
                family_name=p_family,
                email=_email(partner),
                mobile=f"07700 900{rng.randint(100, 999)}",
                role=partner_role,
            )
        family = family_register(
            site=cohort.site,
            cohort=cohort,
            created_by=manager,
            today=referred_on,
            mother=ParentDetails(
                given_name=given,
                family_name=family_name,
                email=_email(mother),
                mobile=f"07700 900{rng.randint(100, 999)}",
            ),
            partner=partner_details,
            estimated_due_date=due,
            identifier_type="nhs",
            identifier=next(numbers),
            postcode=postcode,
            preferred_language=language,
            interpreter_needed=language != "English",
            preferred_channel=rng.choice(["sms", "sms", "email", "phone"]),
            safe_call_from=None,
            safe_call_to=None,
        )
        for kind in Consent.Kind:
            consent_record(
                family=family,
                recorded_by=manager,
                kind=kind,
                # One family in each cohort says no to the evaluation: it must still work.
                given=not (kind == Consent.Kind.EVALUATION and index == 2),
                given_by=Parent.Role.MOTHER,
                method=Consent.Method.WRITTEN,
                decided_on=referred_on,
                today=referred_on,
            )
        enrolment = Enrolment.objects.get(family=family, cohort=cohort)
        enrolment_change_status(
            enrolment=enrolment, status="enrolled", changed_by=manager, today=referred_on
        )
        if withdrawn:
            enrolment_change_status(
                enrolment=enrolment,
                status="withdrawn",
                withdrawal_reason=withdrawn,
                changed_by=manager,
                today=cohort.start_date + timedelta(days=14),
            )
            continue
        enrolment_change_status(
            enrolment=enrolment, status="active", changed_by=manager, today=cohort.start_date
        )
        early = not born and index == 4  # one Riverside baby arrives early
        if born or early:
            gestation = 35 if early else rng.randint(37, 41)
            dob = due - timedelta(weeks=40 - gestation) + timedelta(days=rng.randint(-3, 3))
            if dob <= ctx.today:
                baby_record(
                    family=family,
                    recorded_by=manager,
                    date_of_birth=dob,
                    gestation_weeks=gestation,
                    birth_weight_grams=2350 if early else rng.randint(2700, 4100),
                    mode_of_birth=rng.choice(list(Baby.ModeOfBirth.values)),
                    today=dob + timedelta(days=5),
                )
        if born:
            enrolment_change_status(
                enrolment=enrolment,
                status="completed",
                changed_by=manager,
                today=due + timedelta(weeks=9),
            )


@seeder(10, "foundation: sites, staff, cohorts, families")
def seed_foundation(ctx: DemoContext) -> None:
    national = [
        ("admin@nspcc.demo", "Priya Shah", Role.NSPCC_ADMIN, "NSPCC programme admin"),
        ("evaluator@nspcc.demo", "Owen Price", Role.NSPCC_EVALUATOR, "NSPCC evaluator"),
    ]
    if Organisation.objects.filter(name=BLACKPOOL).exists():
        # Already loaded: just list the logins again.
        for email, _, _, description in national:
            ctx.add_login(email, description)
        for email, description in STAFF_LOGINS:
            ctx.add_login(email, description)
        return
    rng = random.Random(20200323)  # noqa: S311 - demo data, not security
    numbers = test_range_nhs_numbers()
    for email, name, role, description in national:
        _staff(ctx, email, name, role, None, description=description)

    blackpool_org = Organisation.objects.create(
        name=BLACKPOOL, kind=Organisation.Kind.PARTNERSHIP, contact_email="team@blackpool.demo"
    )
    blackpool_licence = Licence.objects.create(
        organisation=blackpool_org,
        reference="BS-LIC-0007",
        status=Licence.Status.ACTIVE,
        start_date=date(2018, 4, 1),
        end_date=ctx.today.replace(year=ctx.today.year + 1, month=3, day=31),
    )
    blackpool = Site.objects.create(
        organisation=blackpool_org,
        licence=blackpool_licence,
        name="Blackpool",
        nation=Site.Nation.ENGLAND,
        offer=Site.Offer.UNIVERSAL,
    )
    riverside_org = Organisation.objects.create(
        name=RIVERSIDE, kind=Organisation.Kind.LOCAL_AUTHORITY, contact_email="team@riverside.demo"
    )
    riverside_licence = Licence.objects.create(
        organisation=riverside_org,
        reference="BS-LIC-0031",
        status=Licence.Status.ACTIVE,
        start_date=ctx.today - timedelta(days=400),
        end_date=ctx.today + timedelta(days=700),
    )
    riverside = Site.objects.create(
        organisation=riverside_org,
        licence=riverside_licence,
        name="Riverside",
        nation=Site.Nation.ENGLAND,
        offer=Site.Offer.TARGETED,
    )

    bp_manager = _staff(
        ctx,
        "manager@blackpool.demo",
        "Sarah Hughes",
        Role.SITE_MANAGER,
        blackpool,
        description="Site manager, Blackpool",
    )
    midwife = _staff(
        ctx,
        "midwife@blackpool.demo",
        "Joanne Ellis",
        Role.FACILITATOR,
        blackpool,
        ProfessionalRole.MIDWIFE,
        date(2018, 6, 14),
        "Facilitator (midwife), Blackpool",
    )
    family_support = _staff(
        ctx,
        "familysupport@blackpool.demo",
        "Mark Taylor",
        Role.FACILITATOR,
        blackpool,
        ProfessionalRole.FAMILY_SUPPORT_WORKER,
        date(2018, 6, 14),
        "Facilitator (family support worker), Blackpool",
    )
    rs_manager = _staff(
        ctx,
        "manager@riverside.demo",
        "Deborah Nkemelu",
        Role.SITE_MANAGER,
        riverside,
        description="Site manager, Riverside",
        work_mobile="07700 900461",  # urgent alerts also come by text (Ofcom drama range)
    )
    hv = _staff(
        ctx,
        "hv@riverside.demo",
        "Rachel Moss",
        Role.FACILITATOR,
        riverside,
        ProfessionalRole.HEALTH_VISITOR,
        ctx.today - timedelta(days=300),
        "Facilitator (health visitor), Riverside",
        work_mobile="07700 900462",
    )
    # Training booked but not done: Riverside cannot yet meet the co-facilitation rule.
    _staff(
        ctx,
        "familyworker@riverside.demo",
        "Connor Doyle",
        Role.FACILITATOR,
        riverside,
        ProfessionalRole.FAMILY_ENGAGEMENT_WORKER,
        None,
        "Facilitator (family engagement worker, training not done), Riverside",
    )

    c2019 = cohort_create(
        site=blackpool,
        created_by=bp_manager,
        name=COHORT_2019,
        start_date=date(2019, 9, 5),
        due_date_from=date(2019, 11, 14),
        due_date_to=date(2019, 12, 20),
        delivery_mode=Cohort.DeliveryMode.GROUP,
        venue="Revoe Children's Centre",
    )
    c2020 = cohort_create(
        site=blackpool,
        created_by=bp_manager,
        name=COHORT_2020,
        start_date=date(2020, 2, 27),
        due_date_from=date(2020, 4, 27),
        due_date_to=date(2020, 6, 5),
        delivery_mode=Cohort.DeliveryMode.REMOTE,
        venue="Revoe Children's Centre",
    )
    start = ctx.today - timedelta(days=24)
    cnow = cohort_create(
        site=riverside,
        created_by=rs_manager,
        name=COHORT_RIVERSIDE,
        start_date=start,
        due_date_from=start + timedelta(days=63),
        due_date_to=start + timedelta(days=100),
        delivery_mode=Cohort.DeliveryMode.BLENDED,
        venue="Riverside Family Hub",
    )
    for cohort in (c2019, c2020):
        cohort_facilitator_add(cohort=cohort, user=midwife, added_by=bp_manager)
        cohort_facilitator_add(cohort=cohort, user=family_support, added_by=bp_manager)
    cohort_facilitator_add(cohort=cnow, user=hv, added_by=rs_manager)

    _add_families(
        ctx=ctx,
        cohort=c2019,
        rows=BLACKPOOL_2019,
        manager=bp_manager,
        first_due=date(2019, 11, 15),
        rng=rng,
        numbers=numbers,
        born=True,
    )
    _add_families(
        ctx=ctx,
        cohort=c2020,
        rows=BLACKPOOL_2020,
        manager=bp_manager,
        first_due=date(2020, 4, 28),
        rng=rng,
        numbers=numbers,
        born=True,
    )
    _add_families(
        ctx=ctx,
        cohort=cnow,
        rows=RIVERSIDE_FAMILIES,
        manager=rs_manager,
        first_due=start + timedelta(days=64),
        rng=rng,
        numbers=numbers,
        born=False,
    )


STAFF_LOGINS = [
    ("manager@blackpool.demo", "Site manager, Blackpool"),
    ("midwife@blackpool.demo", "Facilitator (midwife), Blackpool"),
    ("familysupport@blackpool.demo", "Facilitator (family support worker), Blackpool"),
    ("manager@riverside.demo", "Site manager, Riverside"),
    ("hv@riverside.demo", "Facilitator (health visitor), Riverside"),
    ("familyworker@riverside.demo", "Facilitator (training not done), Riverside"),
]
