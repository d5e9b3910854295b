"""UK health identifiers: NHS number (England, Wales, Isle of Man), CHI number (Scotland)
and Health & Care number (Northern Ireland). Pure functions, no Django.

All three are ten digits with the same modulus-11 check digit; a CHI number also starts
with the holder's date of birth (DDMMYY), and H&C numbers are issued from 320 000 0000 to
399 999 9999, so the type must be explicit to validate properly.
"""

import re
from datetime import date
from enum import StrEnum

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.gb import nhs

from babysteps.core import phones


class IdentifierType(StrEnum):
    NHS = "nhs"
    CHI = "chi"
    HC = "hc"


LABELS = {
    IdentifierType.NHS: "NHS number",
    IdentifierType.CHI: "CHI number",
    IdentifierType.HC: "H&C number",
}


class InvalidIdentifier(ValueError):
    """The identifier is not valid for its type; the message says why, in plain words."""


def _digits(value: str) -> str:
    compact = re.sub(r"[\s-]", "", value or "")
    if not compact.isdigit() or len(compact) != 10:
        raise InvalidIdentifier("must be 10 digits (spaces are allowed).")
    return compact


def _mod11_ok(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def normalise(kind: str, value: str) -> str:
    """Return the identifier as ten bare digits, or raise ``InvalidIdentifier``."""
    digits = _digits(value)
    label = LABELS[IdentifierType(kind)]
    if kind == IdentifierType.NHS:
        try:
            nhs.validate(digits)
        except StdnumError as exc:
            raise InvalidIdentifier(
                f"This is not a valid {label}: the check digit is wrong."
            ) from exc
        return digits
    if not _mod11_ok(digits):
        raise InvalidIdentifier(f"This is not a valid {label}: the check digit is wrong.")
    if kind == IdentifierType.CHI:
        day, month = int(digits[0:2]), int(digits[2:4])
        try:
            date(2000, month, day)  # a leap year, so 29 February passes
        except ValueError as exc:
            raise InvalidIdentifier(
                f"This is not a valid {label}: it must start with a date of birth (DDMMYY)."
            ) from exc
    if kind == IdentifierType.HC and not 3200000000 <= int(digits) <= 3999999999:
        raise InvalidIdentifier(f"This is not a valid {label}: it must start with 32 to 39.")
    return digits


def display(digits: str) -> str:
    """Shown 3-3-4, as printed on NHS letters."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits


_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """A UK postcode, upper-cased with one space before the inward code."""
    compact = re.sub(r"\s+", "", (value or "").upper())
    if not _POSTCODE.match(compact):
        raise InvalidIdentifier("Enter a real UK postcode, like FY1 4AB.")
    return f"{compact[:-3]} {compact[-3:]}"


def normalise_uk_mobile(value: str) -> str:
    """A UK mobile number in E.164 (+447700900123; accepts 07..., +44 7..., 0044 7...,
    spaces, dashes and brackets)."""
    try:
        return phones.uk_mobile(value)
    except phones.InvalidPhoneNumber as exc:
        raise InvalidIdentifier(str(exc)) from None
