"""Reads of families. Scope (who may see which family) comes from the access chokepoints
(``babysteps.families.access``); these functions narrow and load an already-scoped queryset."""

import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from babysteps.families import duplicates
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


HOLDING_PLACE = ("referred", "enrolled", "active", "completed")  # cohorts.Enrolment


@dataclass(frozen=True)
class CaseloadFilters:
    sort: str = "next"
    cohort: int | None = None
    stage: str = ""
    consent_missing: bool = False
    open_alert: bool = False


def caseload_filtered(
    *, families: QuerySet[Family], filters: CaseloadFilters | None = None
) -> QuerySet[Family]:
    """The caseload's families kept by the filters (no sorting, cheap to count). Each
    condition is a subquery on the family's own relations (other apps are reached by
    their relations' names only): no joins, no duplicates."""
    filters = filters or CaseloadFilters()
    today = timezone.localdate()
    rows = families.filter(anonymised_at__isnull=True)  # erased: no one's caseload
    if filters.cohort:
        rows = rows.filter(
            pk__in=Family.objects.filter(enrolments__cohort_id=filters.cohort).values("pk")
        )
    born = Family.objects.filter(babies__isnull=False).values("pk")
    if filters.stage == "antenatal":
        rows = rows.filter(estimated_due_date__gte=today).exclude(pk__in=born)
    elif filters.stage == "postnatal":
        rows = rows.filter(Q(pk__in=born) | Q(estimated_due_date__lt=today))
    if filters.consent_missing:
        rows = rows.filter(_holding_place()).exclude(_consented())
    if filters.open_alert:
        rows = rows.filter(
            pk__in=Family.objects.filter(
                alerts__isnull=False, alerts__acknowledged_at__isnull=True
            ).values("pk")
        )
    return rows


def _holding_place() -> Exists:
    # Correlated (an index lookup per family of the page), not ``pk IN (every family
    # holding a place)``: that read the whole table for one family's page (11 ms).
    return Exists(Family.objects.filter(pk=OuterRef("pk"), enrolments__status__in=HOLDING_PLACE))


def _consented() -> Exists:
    return Exists(Consent.objects.filter(family_id=OuterRef("pk"), kind=Consent.Kind.TAKE_PART))


def caseload(
    *, families: QuerySet[Family], filters: CaseloadFilters | None = None
) -> QuerySet[Family]:
    """A caseload list, filtered (``caseload_filtered``) and sorted, with parents and
    enrolments (and cohorts) loaded in fixed queries. Sorted by next session or visit,
    each family carries ``next_touchpoint``: one grouped join (a correlated subquery per
    family took a second nationally)."""
    filters = filters or CaseloadFilters()
    rows = caseload_filtered(families=families, filters=filters)
    order: list[Any]
    if filters.sort == "name":
        mother = Parent.objects.filter(family=OuterRef("pk"), role=Parent.Role.MOTHER)
        rows = rows.annotate(
            mother_family_name=Subquery(mother.values("family_name")[:1]),
            mother_given_name=Subquery(mother.values("given_name")[:1]),
        )
        order = [Lower("mother_family_name"), Lower("mother_given_name"), "pk"]
    elif filters.sort == "due":
        order = ["estimated_due_date", "pk"]
    else:
        rows = rows.annotate(
            next_touchpoint=Min(
                "enrolments__cohort__planned_sessions__starts_at",
                filter=Q(
                    enrolments__status__in=HOLDING_PLACE,
                    enrolments__cohort__planned_sessions__starts_at__gte=timezone.now(),
                ),
            )
        )
        order = [F("next_touchpoint").asc(nulls_last=True), "-estimated_due_date", "pk"]
    return (
        rows.select_related("site")
        .prefetch_related("parents", "enrolments__cohort")
        .order_by(*order)
    )


def without_consent(*, family_ids: list[int]) -> set[int]:
    """Of these families, those holding a place with no decision on taking part recorded
    (for a page of the caseload: one query)."""
    return set(
        Family.objects.filter(pk__in=family_ids)
        .filter(_holding_place())
        .exclude(_consented())
        .values_list("pk", flat=True)
    )


def caseload_cohorts(*, families: QuerySet[Family]) -> list[tuple[int, str]]:
    """The cohorts the caseload's families hold places in, for the cohort filter."""
    rows = (
        Family.objects.filter(pk__in=families.values("pk"), enrolments__isnull=False)
        .values_list("enrolments__cohort_id", "enrolments__cohort__name")
        .distinct()
        .order_by("enrolments__cohort__name")
    )
    return list(rows)


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
        # The caseload's rule, for one family.
        "consent_missing": bool(without_consent(family_ids=[family.pk])),
    }


def family_enrolments(*, family: Family) -> list[Any]:
    """A family's cohort places (``cohorts.Enrolment``), newest first, with their cohorts."""
    return list(family.enrolments.select_related("cohort", "cohort__site").order_by("-created_at"))


def consent_in_force(*, family: Family, kind: str) -> bool:
    """Whether the latest decision of this kind is a yes."""
    latest = family.consents.filter(kind=kind).order_by("-decided_on", "-recorded_at").first()
    return bool(latest and latest.given)


def likely_duplicates(
    *, families: QuerySet[Family], limit: int = 200
) -> list[tuple[Family, Family]]:
    """Pairs of families (older first) that look like one family recorded twice: similar
    mothers' names, due dates within 14 days, the same postcode district. One query for
    the names, one for the families shown."""
    mothers = (
        Parent.objects.filter(
            role=Parent.Role.MOTHER, family__in=families.filter(anonymised_at__isnull=True)
        )
        .values_list(
            "family_id",
            "given_name",
            "family_name",
            "family__estimated_due_date",
            "family__postcode",
        )
        .order_by("family_id")
    )
    index, pairs = duplicates.Index(), []
    for family_id, first, last, due, postcode in mothers.iterator(chunk_size=2000):
        person = duplicates.Person(family_id, "", first, last, due, postcode)
        match = index.match(person)
        if match is not None:
            pairs.append((match.key, family_id))
            if len(pairs) == limit:
                break
        index.add(person)
    loaded = Family.objects.prefetch_related("parents").in_bulk(
        [pk for pair in pairs for pk in pair]
    )
    return [(loaded[a], loaded[b]) for a, b in pairs]


def reverse_relations(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Every foreign key and many-to-many pointing at ``model``, from any app (hidden
    ones too), found through the models' metadata rather than by importing them."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if isinstance(field, models.ForeignObjectRel) and field.related_model is not None
    ]


def linked_counts(*, family: Family) -> dict[str, int]:
    """How many records of each kind point at the family (for the merge page)."""
    counts: dict[str, int] = {}
    for relation in reverse_relations(Family):
        related = relation.related_model
        if relation.many_to_many or related is None or isinstance(related, str):
            continue
        if getattr(related, "derived_from_records", False):
            continue  # a summary of other records, not records of its own
        n = related._base_manager.filter(**{relation.field.name: family}).count()
        if n:
            label = str(related._meta.verbose_name_plural)
            counts[label] = counts.get(label, 0) + n
    return dict(sorted(counts.items()))
