from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError

from babysteps.audit.models import Action, AuditEvent
from babysteps.cohorts.models import Enrolment
from babysteps.cohorts.services import family_register
from babysteps.families.models import Baby, Consent, Family, Parent
from babysteps.families.services import (
    ParentDetails,
    baby_record,
    consent_record,
    family_create,
    family_update,
)
from tests.factories import today

pytestmark = pytest.mark.django_db


def _values(**overrides):
    values = {
        "estimated_due_date": today() + timedelta(days=90),
        "identifier_type": "nhs",
        "identifier": "943 476 5919",
        "postcode": "fy1 4ab",
    }
    values.update(overrides)
    return values


def _mother():
    return ParentDetails(given_name="Amy", family_name="Clarke", email="AMY@example.com")


def _counts():
    return (
        Family.objects.count(),
        Parent.objects.count(),
        Enrolment.objects.count(),
        AuditEvent.objects.count(),
    )


def test_family_create_normalises_and_audits(cast):
    family = family_create(
        site=cast.site_a,
        created_by=cast.manager_a,
        mother=_mother(),
        partner=ParentDetails(given_name="Dan", family_name="Clarke", role="partner"),
        **_values(),
    )
    assert family.identifier == "9434765919"
    assert family.postcode == "FY1 4AB"
    assert family.mother.email == "amy@example.com"
    assert family.partner.role == "partner"
    event = AuditEvent.objects.get(object_type="family", object_id=str(family.pk))
    assert (event.action, event.actor, event.family_id) == (
        Action.CREATE,
        cast.manager_a,
        family.pk,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"identifier": "943 476 5918"}, "identifier", "check digit"),
        ({"identifier": "12345"}, "identifier", "10 digits"),
        ({"estimated_due_date": today() + timedelta(days=320)}, "estimated_due_date", "10 months"),
        ({"estimated_due_date": today() - timedelta(days=400)}, "estimated_due_date", "12 months"),
        ({"postcode": "nowhere"}, "postcode", "postcode"),
        ({"safe_call_from": time(9)}, "safe_call_to", "both ends"),
        ({"safe_call_from": time(17), "safe_call_to": time(9)}, "safe_call_to", "after it starts"),
    ],
)
def test_bad_family_input_is_a_clear_error_and_saves_nothing(cast, overrides, field, message):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        family_register(
            site=cast.site_a,
            cohort=cast.cohort_a,
            created_by=cast.manager_a,
            mother=_mother(),
            **_values(**overrides),
        )
    assert message in " ".join(exc.value.message_dict[field])
    assert _counts() == before


def test_due_date_ten_months_ahead_is_the_limit(cast):
    family_create(
        site=cast.site_a,
        created_by=cast.manager_a,
        mother=_mother(),
        **_values(estimated_due_date=today() + timedelta(days=290)),
    )


def test_the_same_identifier_cannot_be_recorded_twice(cast):
    family_create(site=cast.site_a, created_by=cast.manager_a, mother=_mother(), **_values())
    before = _counts()
    with pytest.raises(ValidationError, match="already recorded"):
        family_create(site=cast.site_b, created_by=cast.manager_b, mother=_mother(), **_values())
    assert _counts() == before


def test_family_register_is_all_or_nothing_when_the_cohort_is_full(cast):
    cast.cohort_a.capacity = 1
    cast.cohort_a.save()
    before = _counts()
    with pytest.raises(ValidationError, match="is full"):
        family_register(
            site=cast.site_a,
            cohort=cast.cohort_a,
            created_by=cast.manager_a,
            mother=_mother(),
            **_values(),
        )
    assert _counts() == before


def test_missing_mother_name_is_a_field_error(cast):
    with pytest.raises(ValidationError) as exc:
        family_create(
            site=cast.site_a,
            created_by=cast.manager_a,
            mother=ParentDetails(given_name="", family_name="Clarke"),
            **_values(),
        )
    assert "mother_given_name" in exc.value.message_dict


def test_family_update_records_changed_field_names_not_values(cast):
    family = cast.family_a
    family_update(family=family, changed_by=cast.midwife_a, postcode="LS9 8AU")
    family.refresh_from_db()
    assert family.postcode == "LS9 8AU"
    event = AuditEvent.objects.filter(action=Action.CHANGE, family_id=family.pk).get()
    assert event.detail == {"fields": ["postcode"]}
    assert "LS9" not in str(event.detail)


def test_family_update_without_changes_writes_no_event(cast):
    family_update(family=cast.family_a, changed_by=cast.midwife_a, postcode="FY1 4AB")
    assert not AuditEvent.objects.filter(action=Action.CHANGE).exists()


def test_family_update_keeps_an_old_due_date_that_is_not_being_changed(cast):
    family = cast.family_a
    Family.objects.filter(pk=family.pk).update(estimated_due_date=today() - timedelta(days=700))
    family.refresh_from_db()
    family_update(family=family, changed_by=cast.manager_a, preferred_language="Polish")
    family.refresh_from_db()
    assert family.preferred_language == "Polish"


def test_family_update_can_add_and_remove_a_partner(cast):
    family = cast.family_a
    family_update(
        family=family,
        changed_by=cast.manager_a,
        partner=ParentDetails(given_name="Kate", family_name="Shaw", role="supporter"),
    )
    assert family.parents.filter(role="supporter").exists()
    family_update(family=family, changed_by=cast.manager_a, remove_partner=True)
    assert not family.parents.exclude(role="mother").exists()


def test_baby_record_validates_and_saves_nothing_on_error(cast):
    family = cast.family_a
    with pytest.raises(ValidationError) as exc:
        baby_record(
            family=family,
            recorded_by=cast.midwife_a,
            date_of_birth=today() + timedelta(days=1),
            gestation_weeks=50,
            birth_weight_grams=100,
            mode_of_birth="vaginal",
        )
    assert set(exc.value.message_dict) == {"date_of_birth", "gestation_weeks", "birth_weight_grams"}
    assert not Baby.objects.exists()


def test_baby_record_saves_the_birth(cast):
    family = cast.family_a
    baby = baby_record(
        family=family,
        recorded_by=cast.midwife_a,
        date_of_birth=family.estimated_due_date - timedelta(days=21),
        gestation_weeks=36,
        birth_weight_grams=2400,
        mode_of_birth="emergency_caesarean",
        today=family.estimated_due_date,
    )
    assert baby.is_premature and baby.is_low_birth_weight


def test_consents_are_history_and_the_latest_applies(cast):
    from babysteps.families.selectors import consent_in_force

    family = cast.family_a
    consent_record(
        family=family,
        recorded_by=cast.midwife_a,
        kind=Consent.Kind.EVALUATION,
        given=True,
        decided_on=today() - timedelta(days=10),
    )
    assert consent_in_force(family=family, kind=Consent.Kind.EVALUATION)
    consent_record(
        family=family,
        recorded_by=cast.midwife_a,
        kind=Consent.Kind.EVALUATION,
        given=False,
        decided_on=today(),
    )
    assert not consent_in_force(family=family, kind=Consent.Kind.EVALUATION)
    assert family.consents.count() == 2


def test_consent_cannot_be_dated_in_the_future(cast):
    with pytest.raises(ValidationError, match="future"):
        consent_record(
            family=cast.family_a,
            recorded_by=cast.midwife_a,
            kind=Consent.Kind.TAKE_PART,
            given=True,
            decided_on=today() + timedelta(days=1),
        )
