"""Reads of families. Scope (who may see which family) comes from the access chokepoints
(``babysteps.families.access``); these functions narrow and load an already-scoped queryset."""

import re
from typing import Any

from django.db.models import Q, QuerySet

from babysteps.families.models import Consent, Family, Parent

_OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
_FULL_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$")


def family_search(*, families: QuerySet[Family], query: str) -> QuerySet[Family]:
    """Families matching a parent's name (every word must match), an identifier (NHS,
    CHI or H&C, whole or its start; spaces allowed), or a postcode (whole or outward)."""
    text = " ".join(query.split())
    if not text:
        return families
    named = Parent.objects.all()
    for word in text.split():
        named = named.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    condition = Q(pk__in=named.values("family_id"))
    digits = re.sub(r"[\s-]", "", text)
    if digits.isdigit():
        condition |= Q(identifier__startswith=digits)
    compact = text.upper().replace(" ", "")
    if _OUTWARD_CODE.match(compact):
        condition |= Q(postcode__startswith=f"{compact} ")
    elif _FULL_POSTCODE.match(compact):
        condition |= Q(postcode=f"{compact[:-3]} {compact[-3:]}")
    return families.filter(condition)


def caseload(*, families: QuerySet[Family]) -> QuerySet[Family]:
    """A caseload list: parents and enrolments (with cohorts) loaded in fixed queries."""
    return (
        families.filter(anonymised_at__isnull=True)  # erased records are no one's caseload
        .select_related("site")
        .prefetch_related("parents", "enrolments__cohort")
        .order_by("estimated_due_date", "pk")
    )


def family_detail(*, family: Family) -> dict[str, object]:
    """Everything the family page shows beside the family itself."""
    consents = list(family.consents.select_related("recorded_by"))
    current: dict[str, Consent] = {}
    for consent in consents:  # ordered newest first within each kind
        current.setdefault(consent.kind, consent)
    return {
        "parents": list(family.parents.all()),
        "babies": list(family.babies.all()),
        "consents": consents,
        "current_consents": [(kind, current.get(kind.value)) for kind in Consent.Kind],
    }


def family_enrolments(*, family: Family) -> list[Any]:
    """A family's cohort places (``cohorts.Enrolment``), newest first, with their cohorts."""
    return list(family.enrolments.select_related("cohort", "cohort__site").order_by("-created_at"))


def consent_in_force(*, family: Family, kind: str) -> bool:
    """Whether the latest decision of this kind is a yes."""
    latest = family.consents.filter(kind=kind).order_by("-decided_on", "-recorded_at").first()
    return bool(latest and latest.given)
