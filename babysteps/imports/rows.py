"""Checking each row of a families spreadsheet: every problem of every row, each named by
its line and column, before anything is saved."""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from babysteps.families import identifiers
from babysteps.families.duplicates import Person
from babysteps.families.models import Family, Parent
from babysteps.families.services import ParentDetails, validate_due_date
from babysteps.licensing.models import Site

# The fixed interface of the import (the command, the page and the template file).
COLUMNS = (
    "mother_first_name",
    "mother_last_name",
    "mother_nhs_number",
    "estimated_due_date",
    "postcode",
    "mother_mobile",
    "mother_email",
    "partner_first_name",
    "partner_last_name",
    "preferred_language",
    "interpreter_needed",
)
REQUIRED = ("mother_first_name", "mother_last_name", "estimated_due_date", "postcode")

# The identifier in the "mother_nhs_number" column is the one the site's nation issues.
IDENTIFIER_BY_NATION: dict[str, identifiers.IdentifierType] = {
    Site.Nation.SCOTLAND: identifiers.IdentifierType.CHI,
    Site.Nation.NORTHERN_IRELAND: identifiers.IdentifierType.HC,
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANGUAGE = re.compile(r"^[^\W\d_]+(?:[ '()-]+[^\W\d_]+)*\)?$")
YES = {"yes", "y"}
NO = {"no", "n", ""}


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.column}: {self.message}"


@dataclass
class FamilyRow:
    """A row that passed every check: what ``family_register`` is given."""

    line: int
    mother: ParentDetails
    partner: ParentDetails | None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def person(self) -> Person:
        return Person(
            key=self.line,
            identifier=identity(self.values["identifier_type"], self.values["identifier"]),
            first_name=self.mother.given_name,
            last_name=self.mother.family_name,
            due_date=self.values["estimated_due_date"],
            postcode=self.values["postcode"],
        )


def identity(kind: str, digits: str) -> str:
    """One key for an identifier and its type (as the unique constraint sees them)."""
    return f"{kind}:{digits}" if digits else ""


def header_problems(columns: list[str]) -> list[Problem]:
    problems = [Problem(1, c, "missing column") for c in REQUIRED if c not in columns]
    seen: set[str] = set()
    for column in columns:
        if column and column not in COLUMNS:
            problems.append(Problem(1, column, f"unknown column (expected: {', '.join(COLUMNS)})"))
        elif column in seen:
            problems.append(Problem(1, column, "the column appears twice"))
        seen.add(column)
    return problems


def _due_date(text: str, today: date | None) -> date:
    if not _ISO_DATE.match(text):
        raise ValueError(_("give the date as YYYY-MM-DD, e.g. 2027-03-14"))
    try:
        due = date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(_("not a real date")) from exc
    try:
        validate_due_date(due, today=today)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from exc
    return due


def _interpreter(text: str) -> bool:
    value = text.casefold()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(_("answer yes or no"))


def _language(text: str) -> str:
    if not text:
        return "English"
    if len(text) > 60 or not _LANGUAGE.match(text):
        raise ValueError(_("give the language's name in words, e.g. Welsh, Polish or Urdu"))
    return text[0].upper() + text[1:]


def _email(text: str) -> str:
    if text:
        validate_email(text)
    return text.lower()


def check_row(
    line: int, cells: dict[str, str], *, site: Site, today: date | None = None
) -> FamilyRow | list[Problem]:
    """The row ready to save, or every problem found in it."""
    problems: list[Problem] = []

    def attempt(column: str, parse: Any) -> Any:
        try:
            return parse(cells.get(column, ""))
        except (ValueError, ValidationError) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            problems.append(Problem(line, column, message))
            return None

    for column in REQUIRED:
        if not cells.get(column, ""):
            problems.append(Problem(line, column, "required"))
    for column in ("mother_first_name", "mother_last_name"):
        if len(cells.get(column, "")) > 100:
            problems.append(Problem(line, column, "at most 100 characters"))
    kind = IDENTIFIER_BY_NATION.get(site.nation, identifiers.IdentifierType.NHS)
    number = attempt("mother_nhs_number", lambda t: identifiers.normalise(kind, t) if t else "")
    due = attempt("estimated_due_date", lambda t: _due_date(t, today) if t else None)
    postcode = attempt("postcode", lambda t: identifiers.normalise_postcode(t) if t else "")
    mobile = attempt("mother_mobile", lambda t: identifiers.normalise_uk_mobile(t) if t else "")
    email = attempt("mother_email", _email)
    language = attempt("preferred_language", _language)
    interpreter = attempt("interpreter_needed", _interpreter)
    partner_first = cells.get("partner_first_name", "")
    partner_last = cells.get("partner_last_name", "")
    if bool(partner_first) != bool(partner_last):
        missing = "partner_last_name" if partner_first else "partner_first_name"
        problems.append(
            Problem(line, missing, "give the partner's first and last names, or neither")
        )
    for column in ("partner_first_name", "partner_last_name"):
        if len(cells.get(column, "")) > 100:
            problems.append(Problem(line, column, "at most 100 characters"))
    if problems:
        return problems
    channel = Family.Channel.SMS if mobile or not email else Family.Channel.EMAIL
    return FamilyRow(
        line=line,
        mother=ParentDetails(
            given_name=cells["mother_first_name"],
            family_name=cells["mother_last_name"],
            email=email,
            mobile=mobile,
            role=Parent.Role.MOTHER,
        ),
        partner=(
            ParentDetails(
                given_name=partner_first, family_name=partner_last, role=Parent.Role.PARTNER
            )
            if partner_first
            else None
        ),
        values={
            "identifier_type": kind,
            "identifier": number,
            "estimated_due_date": due,
            "postcode": postcode,
            "preferred_language": language,
            "interpreter_needed": interpreter,
            "preferred_channel": channel,
        },
    )
