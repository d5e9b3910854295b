"""The recorded families an import's rows are compared with, in one query: any family with
one of the file's identifiers (they are unique nationally), and the site's families whose
due dates fall near the file's (for likely duplicates)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q

from babysteps.families.duplicates import DUE_DATE_DAYS, Index, Person
from babysteps.families.models import Parent
from babysteps.imports.rows import identity
from babysteps.licensing.models import Site


@dataclass
class Existing:
    index: Index
    site_of: dict[int, int]


def existing_people(*, site: Site, people: list[Person]) -> Existing:
    if not people:
        return Existing(Index(), {})
    numbers = {p.identifier.split(":", 1)[1] for p in people if p.identifier}
    margin = timedelta(days=DUE_DATE_DAYS)
    near = Q(
        family__site=site,
        family__anonymised_at__isnull=True,
        family__estimated_due_date__range=(
            min(p.due_date for p in people) - margin,
            max(p.due_date for p in people) + margin,
        ),
    )
    mothers = (
        Parent.objects.filter(role=Parent.Role.MOTHER)
        .filter(near | Q(family__identifier__in=numbers))
        .values_list(
            "family_id",
            "family__site_id",
            "family__identifier_type",
            "family__identifier",
            "given_name",
            "family_name",
            "family__estimated_due_date",
            "family__postcode",
        )
        .order_by("family_id")
    )
    index, site_of = Index(), {}
    for family_id, site_id, kind, number, first, last, due, postcode in mothers:
        site_of[family_id] = site_id
        person = Person(family_id, identity(kind, number), first, last, due, postcode)
        # Another site's family is only ever a certain match (by its identifier).
        index.add(person, by_name=site_id == site.pk)
    return Existing(index, site_of)
