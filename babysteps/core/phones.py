"""UK telephone numbers: any number (a safe number to call) or a mobile (for text
messages to parents and staff). Pure: no Django."""

import re

_UK_NUMBER = re.compile(r"^0[1-37]\d{8,9}$")
_MOBILE = re.compile(r"^07\d{9}$")


class InvalidPhoneNumber(ValueError):
    pass


def _compact(value: str) -> str:
    """Digits only, with +44 or 0044 written as the leading 0."""
    compact = re.sub(r"[\s\-().]", "", value or "")
    if compact.startswith("+44"):
        return "0" + compact[3:]
    if compact.startswith("0044"):
        return "0" + compact[4:]
    return compact


def normalise_uk_mobile(value: str) -> str:
    """A UK mobile number as 07xxx xxxxxx (accepts +44 7..., 0044 7..., spaces, dashes)."""
    compact = _compact(value)
    if not _MOBILE.match(compact):
        raise InvalidPhoneNumber("Enter a UK mobile number, like 07700 900123.")
    return f"{compact[:5]} {compact[5:]}"


def normalise_uk_phone(value: str) -> str:
    """A UK landline or mobile number, spaced for reading (07700 900123, 0161 496 0000,
    020 7946 0000). Accepts +44 and 0044 prefixes, spaces, dashes and brackets."""
    compact = _compact(value)
    if not _UK_NUMBER.match(compact):
        raise InvalidPhoneNumber("Enter a UK phone number, like 07700 900123 or 0161 496 0000.")
    if len(compact) != 11:
        return compact  # a few older 10-digit area codes: leave as written
    if compact.startswith("07"):
        return f"{compact[:5]} {compact[5:]}"
    if compact.startswith("02"):
        return f"{compact[:3]} {compact[3:7]} {compact[7:]}"
    return f"{compact[:4]} {compact[4:7]} {compact[7:]}"
