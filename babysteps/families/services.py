"""Writes for families: recording a family, its parents, the baby's birth and consent
decisions. Every function validates everything first, writes in one transaction, and
records an audit event naming the fields changed (never their values)."""

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object
from babysteps.core.dates import add_months
from babysteps.families import identifiers
from babysteps.families.models import Baby, Consent, Family, Parent
from babysteps.licensing.models import Site


@dataclass
class ParentDetails:
    given_name: str
    family_name: str
    email: str = ""
    mobile: str = ""
    role: str = Parent.Role.MOTHER


FAMILY_FIELDS = (
    "estimated_due_date",
    "identifier_type",
    "identifier",
    "postcode",
    "preferred_language",
    "interpreter_needed",
    "contact_by_email",
    "contact_by_sms",
    "contact_by_phone",
    "preferred_channel",
    "safe_call_from",
    "safe_call_to",
    "safe_call_notes",
    "voicemail_ok",
)


def validate_due_date(due: date, *, today: date | None = None) -> None:
    """An estimated due date is at most 10 months ahead (a pregnancy is ~9) and at most
    12 months behind (the programme ends a few months after the birth)."""
    day = today or timezone.localdate()
    if due > add_months(day, settings.EDD_MAX_MONTHS_AHEAD):
        raise ValidationError(
            {
                "estimated_due_date": _(
                    "The due date is more than %(EDD_MAX_MONTHS_AHEAD)s months away. Check the "
                    "year."
                )
                % {"EDD_MAX_MONTHS_AHEAD": settings.EDD_MAX_MONTHS_AHEAD}
            }
        )
    if due < add_months(day, -settings.EDD_MAX_MONTHS_BEHIND):
        raise ValidationError(
            {
                "estimated_due_date": _(
                    "The due date is more than %(EDD_MAX_MONTHS_BEHIND)s months ago. Check the "
                    "year."
                )
                % {"EDD_MAX_MONTHS_BEHIND": settings.EDD_MAX_MONTHS_BEHIND}
            }
        )


def _clean_family_values(values: dict[str, Any], *, today: date | None) -> dict[str, Any]:
    """Normalise identifiers and postcode; collect every error before raising."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(values)
    if "identifier" in values or "identifier_type" in values:
        raw = (values.get("identifier") or "").strip()
        kind = values.get("identifier_type") or identifiers.IdentifierType.NHS
        if kind not in set(identifiers.IdentifierType):
            errors.setdefault("identifier_type", []).append(_("Choose NHS, CHI or H&C number."))
        elif raw:
            try:
                cleaned["identifier"] = identifiers.normalise(kind, raw)
            except identifiers.InvalidIdentifier as exc:
                errors.setdefault("identifier", []).append(str(exc))
        else:
            cleaned["identifier"] = ""
    if "postcode" in values:
        try:
            cleaned["postcode"] = identifiers.normalise_postcode(values["postcode"])
        except identifiers.InvalidIdentifier as exc:
            errors.setdefault("postcode", []).append(str(exc))
    if values.get("estimated_due_date") is not None:
        try:
            validate_due_date(values["estimated_due_date"], today=today)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    start: time | None = values.get("safe_call_from")
    end: time | None = values.get("safe_call_to")
    if (start is None) != (end is None):
        errors.setdefault("safe_call_to", []).append(
            _("Give both ends of the safe time to call, or neither.")
        )
    elif start is not None and end is not None and end <= start:
        errors.setdefault("safe_call_to", []).append(_("The safe time must end after it starts."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _validate_parent(details: ParentDetails, *, prefix: str) -> Parent:
    errors: dict[str, list[str]] = {}
    mobile = details.mobile.strip()
    if mobile:
        try:
            mobile = identifiers.normalise_uk_mobile(mobile)
        except identifiers.InvalidIdentifier as exc:
            errors["mobile"] = [str(exc)]
    parent = Parent(
        role=details.role,
        given_name=details.given_name.strip(),
        family_name=details.family_name.strip(),
        email=details.email.strip().lower(),
        mobile=mobile,
    )
    try:
        parent.full_clean(exclude=["family"], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError({f"{prefix}_{k}": v for k, v in errors.items()})
    return parent


@transaction.atomic
def family_create(
    *,
    site: Site,
    created_by: User | None,
    mother: ParentDetails,
    partner: ParentDetails | None = None,
    today: date | None = None,
    **values: Any,
) -> Family:
    """Record a new family (mother, optional partner or supporter) at a site."""
    unknown = set(values) - set(FAMILY_FIELDS)
    if unknown:
        raise ValueError(f"Not family fields: {sorted(unknown)}")
    if "estimated_due_date" not in values or values["estimated_due_date"] is None:
        raise ValidationError({"estimated_due_date": _("Enter the estimated due date.")})
    cleaned = _clean_family_values(values, today=today)
    mother.role = Parent.Role.MOTHER
    mother_row = _validate_parent(mother, prefix="mother")
    partner_row = _validate_parent(partner, prefix="partner") if partner else None
    if partner_row is not None and partner_row.role == Parent.Role.MOTHER:
        raise ValidationError({"partner_role": _("Choose partner or supporter.")})
    family = Family(site=site, created_by=created_by, **cleaned)
    family.full_clean(exclude=["site", "created_by"])
    family.save()
    for row in (mother_row, partner_row):
        if row is not None:
            row.family = family
            row.save()
    audit_object(
        actor=created_by,
        action=Action.CREATE,
        obj=family,
        family_id=family.pk,
        site_id=site.pk,
    )
    return family


@transaction.atomic
def family_update(
    *,
    family: Family,
    changed_by: User,
    mother: ParentDetails | None = None,
    partner: ParentDetails | None = None,
    remove_partner: bool = False,
    today: date | None = None,
    **values: Any,
) -> Family:
    """Change a family's details. Identifiers and dates are validated as on creation."""
    unknown = set(values) - set(FAMILY_FIELDS)
    if unknown:
        raise ValueError(f"Not family fields: {sorted(unknown)}")
    # Validate the whole resulting state (e.g. both ends of the safe-call window).
    current = {f: getattr(family, f) for f in FAMILY_FIELDS}
    proposed = {**current, **values}
    due_changed = proposed["estimated_due_date"] != current["estimated_due_date"]
    check = {k: v for k, v in proposed.items() if k != "estimated_due_date" or due_changed}
    cleaned = _clean_family_values(check, today=today)
    changed = [f for f in FAMILY_FIELDS if f in cleaned and cleaned[f] != current[f]]
    for field in changed:
        setattr(family, field, cleaned[field])
    family.full_clean(exclude=["site", "created_by"])
    parents_changed = _update_parents(
        family=family, mother=mother, partner=partner, remove_partner=remove_partner
    )
    if changed:
        family.save(update_fields=[*changed, "updated_at"])
    if changed or parents_changed:
        audit_object(
            actor=changed_by,
            action=Action.CHANGE,
            obj=family,
            family_id=family.pk,
            site_id=family.site_id,
            detail={"fields": changed + parents_changed},
        )
    return family


def _update_parents(
    *,
    family: Family,
    mother: ParentDetails | None,
    partner: ParentDetails | None,
    remove_partner: bool,
) -> list[str]:
    changed: list[str] = []
    existing = {p.role == Parent.Role.MOTHER: p for p in family.parents.all()}
    for is_mother, details in ((True, mother), (False, partner)):
        if details is None:
            continue
        if is_mother:
            details.role = Parent.Role.MOTHER
        row = _validate_parent(details, prefix="mother" if is_mother else "partner")
        current = existing.get(is_mother)
        fields = ["role", "given_name", "family_name", "email", "mobile"]
        if current is None:
            row.family = family
            row.save()
            changed.append("mother" if is_mother else "partner")
        elif any(getattr(current, f) != getattr(row, f) for f in fields):
            for f in fields:
                setattr(current, f, getattr(row, f))
            current.save(update_fields=fields)
            changed.append("mother" if is_mother else "partner")
    if remove_partner and partner is None and existing.get(False) is not None:
        existing[False].delete()
        changed.append("partner_removed")
    return changed


@transaction.atomic
def baby_record(
    *,
    family: Family,
    recorded_by: User,
    date_of_birth: date,
    gestation_weeks: int,
    birth_weight_grams: int,
    mode_of_birth: str,
    given_name: str = "",
    today: date | None = None,
) -> Baby:
    """Record the birth. The date must be real (not in the future, near the due date)."""
    day = today or timezone.localdate()
    errors: dict[str, str] = {}
    if date_of_birth > day:
        errors["date_of_birth"] = _("The date of birth cannot be in the future.")
    elif abs((date_of_birth - family.estimated_due_date).days) > 140:
        errors["date_of_birth"] = _("The date of birth is far from the due date. Check the year.")
    if not 22 <= gestation_weeks <= 44:
        errors["gestation_weeks"] = _("Gestation at birth is between 22 and 44 completed weeks.")
    if not 300 <= birth_weight_grams <= 6500:
        errors["birth_weight_grams"] = _("Birth weight is between 300 and 6500 grams.")
    if errors:
        raise ValidationError(errors)
    baby = Baby(
        family=family,
        given_name=given_name.strip(),
        date_of_birth=date_of_birth,
        gestation_weeks=gestation_weeks,
        birth_weight_grams=birth_weight_grams,
        mode_of_birth=mode_of_birth,
    )
    baby.full_clean(exclude=["family"])
    baby.save()
    audit_object(
        actor=recorded_by,
        action=Action.CREATE,
        obj=baby,
        family_id=family.pk,
        site_id=family.site_id,
    )
    return baby


@transaction.atomic
def consent_record(
    *,
    family: Family,
    recorded_by: User,
    kind: str,
    given: bool,
    decided_on: date,
    given_by: str = Parent.Role.MOTHER,
    method: str = Consent.Method.VERBAL,
    today: date | None = None,
) -> Consent:
    """Record a consent decision (given or refused). Earlier decisions stay as history."""
    day = today or timezone.localdate()
    if decided_on > day:
        raise ValidationError({"decided_on": _("A consent decision cannot be in the future.")})
    consent = Consent(
        family=family,
        kind=kind,
        given=given,
        given_by=given_by,
        method=method,
        decided_on=decided_on,
        recorded_by=recorded_by,
    )
    consent.full_clean(exclude=["family", "recorded_by"])
    consent.save()
    audit_object(
        actor=recorded_by,
        action=Action.CREATE,
        obj=consent,
        family_id=family.pk,
        site_id=family.site_id,
        detail={"kind": kind},
    )
    return consent
