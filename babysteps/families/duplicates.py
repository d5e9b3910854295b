"""Finding a family recorded twice. Pure: no Django.

Two records are the same family for certain when they carry the same health identifier
(NHS, CHI or H&C number). They are likely the same when the mother's names are similar
(allowing a typing slip or the names swapped), the due dates are within 14 days and the
postcodes share their district (the outward code: ``FY1`` of ``FY1 4AB``).
"""

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from rapidfuzz import fuzz

DUE_DATE_DAYS = 14
# token_sort_ratio of the normalised "first last": "Sarah Jones" / "Sara Jones" scores 95,
# "Jones Sarah" / "Sarah Jones" 100, "Sarah Jones" / "Sadia Jamal" 55.
NAME_SIMILARITY = 85.0


class Certainty(StrEnum):
    CERTAIN = "certain"
    LIKELY = "likely"


@dataclass(frozen=True)
class Person:
    """What matching looks at: a key (a family id or a line number), never more."""

    key: int
    identifier: str
    first_name: str
    last_name: str
    due_date: date
    postcode: str


@dataclass(frozen=True)
class Match:
    key: int
    certainty: Certainty


def district(postcode: str) -> str:
    """The outward code of a normalised postcode ("FY1 4AB" -> "FY1")."""
    return postcode.split(" ")[0] if " " in postcode else postcode[:-3]


def _normal_name(person: Person) -> str:
    text = unicodedata.normalize("NFKD", f"{person.first_name} {person.last_name}")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().replace("-", " ").split())


def similar(a: Person, b: Person) -> bool:
    """Likely the same mother. Two different identifiers are two different mothers."""
    if a.identifier and b.identifier and a.identifier != b.identifier:
        return False
    if district(a.postcode) != district(b.postcode):
        return False
    if abs((a.due_date - b.due_date).days) > DUE_DATE_DAYS:
        return False
    return fuzz.token_sort_ratio(_normal_name(a), _normal_name(b)) >= NAME_SIMILARITY


class Index:
    """Candidates grouped so a row is compared only with those that could match it:
    the same identifier, or the same postcode district."""

    def __init__(self, people: Iterable[Person] = ()) -> None:
        self._by_identifier: dict[str, Person] = {}
        self._by_district: dict[str, list[Person]] = defaultdict(list)
        for person in people:
            self.add(person)

    def add(self, person: Person, *, by_name: bool = True) -> None:
        """``by_name=False``: the person matches only by identifier."""
        if person.identifier:
            self._by_identifier.setdefault(person.identifier, person)
        if by_name:
            self._by_district[district(person.postcode)].append(person)

    def match(self, person: Person) -> Match | None:
        same = self._by_identifier.get(person.identifier) if person.identifier else None
        if same is not None:
            return Match(same.key, Certainty.CERTAIN)
        for other in self._by_district.get(district(person.postcode), ()):
            if similar(person, other):
                return Match(other.key, Certainty.LIKELY)
        return None
