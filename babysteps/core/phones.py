"""UK telephone numbers, read by Google's libphonenumber (the ``phonenumbers`` package).

Numbers are stored in E.164 (``+447700900123``), so a number is found by equality, and
shown in the national format (``07700 900123``). The UK here includes the Crown
Dependencies that share +44 (Jersey runs Baby Steps). Pure: no Django.

Ofcom keeps some ranges for TV and radio drama: never allocated, so libphonenumber calls
them invalid, yet they are exactly the numbers demos and tests must use (Ofcom,
"Telephone numbers for use in TV and radio drama programmes"). They are accepted here as
the kind of number they imitate.
"""

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, PhoneNumberType

_UK_REGIONS = frozenset({"GB", "JE", "GG", "IM"})
# Ofcom's drama ranges: (the national number's first digits, its length, the kind).
_DRAMA_RANGES = (
    *((f"{area}4960", 10, PhoneNumberType.FIXED_LINE) for area in (113, 114, 115, 116, 117)),
    *((f"{area}4960", 10, PhoneNumberType.FIXED_LINE) for area in (118, 121, 131, 141, 151)),
    ("1614960", 10, PhoneNumberType.FIXED_LINE),
    ("1914980", 10, PhoneNumberType.FIXED_LINE),
    ("2079460", 10, PhoneNumberType.FIXED_LINE),
    ("2896496", 10, PhoneNumberType.FIXED_LINE),
    ("2920180", 10, PhoneNumberType.FIXED_LINE),
    ("1632960", 10, PhoneNumberType.FIXED_LINE),
    ("7700900", 10, PhoneNumberType.MOBILE),
    ("8081570", 10, PhoneNumberType.TOLL_FREE),
    ("9098790", 10, PhoneNumberType.PREMIUM_RATE),
    ("3069990", 10, PhoneNumberType.UAN),
)
# A number to call a parent on may be anything a person answers, but never one that costs
# the caller a premium, and never a pager.
_NOT_CALLABLE = frozenset({PhoneNumberType.PREMIUM_RATE, PhoneNumberType.PAGER})
_ALLOWED_CHARACTERS = re.compile(r"^[\d\s+\-().]*$")


class InvalidPhoneNumber(ValueError):
    pass


def _kind(number: PhoneNumber) -> int | None:
    """The kind of a UK number (a ``PhoneNumberType``), or None if it is not one."""
    national = str(number.national_number)
    for prefix, length, kind in _DRAMA_RANGES:
        if national.startswith(prefix) and len(national) == length:
            return kind
    if phonenumbers.is_valid_number(number) and (
        phonenumbers.region_code_for_number(number) in _UK_REGIONS
    ):
        return phonenumbers.number_type(number)
    return None


def _parse(value: str, message: str) -> tuple[PhoneNumber, int]:
    text = (value or "").strip()
    if not text or not _ALLOWED_CHARACTERS.match(text):
        raise InvalidPhoneNumber(message)
    try:
        number = phonenumbers.parse(text, "GB")
    except NumberParseException:
        raise InvalidPhoneNumber(message) from None
    kind = _kind(number)
    if number.country_code != 44 or kind is None:
        raise InvalidPhoneNumber(message)
    return number, kind


def _e164(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def uk_phone(value: str) -> str:
    """A UK number to call (landline, mobile, freephone ...; not premium rate), in E.164.
    Accepts +44 and 0044, spaces, dashes, brackets and "+44 (0)"."""
    number, kind = _parse(value, "Enter a UK phone number, like 07700 900123 or 0161 496 0000.")
    if kind in _NOT_CALLABLE:
        raise InvalidPhoneNumber("Enter a number the parent answers, not a premium-rate number.")
    return _e164(number)


def uk_mobile(value: str) -> str:
    """A UK mobile number (one that takes text messages), in E.164."""
    message = "Enter a UK mobile number, like 07700 900123."
    number, kind = _parse(value, message)
    if kind not in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise InvalidPhoneNumber(message)
    return _e164(number)


def display(stored: str) -> str:
    """A stored number in the national format (07700 900123); "" stays "". Anything that
    does not parse is shown as it is."""
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, "GB")
    except NumberParseException:
        return stored
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)


def stored_e164(value: str) -> str:
    """A number written in any UK way, in E.164 for storage; one that does not parse is
    kept as written (for migrating old rows, which were checked when entered)."""
    try:
        number = phonenumbers.parse(value, "GB")
    except NumberParseException:
        return value
    return _e164(number) if number.country_code == 44 else value
