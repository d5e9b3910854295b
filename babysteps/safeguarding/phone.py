"""UK telephone numbers for the safe number to call. Pure: no Django."""

import re

_UK_NUMBER = re.compile(r"^0[1-37]\d{8,9}$")


class InvalidPhoneNumber(ValueError):
    pass


def normalise_uk_phone(value: str) -> str:
    """A UK landline or mobile number, spaced for reading (07700 900123, 0161 496 0000,
    020 7946 0000). Accepts +44 and 0044 prefixes, spaces, dashes and brackets."""
    compact = re.sub(r"[\s\-().]", "", value or "")
    if compact.startswith("+44"):
        compact = "0" + compact[3:]
    elif compact.startswith("0044"):
        compact = "0" + compact[4:]
    if not _UK_NUMBER.match(compact):
        raise InvalidPhoneNumber("Enter a UK phone number, like 07700 900123 or 0161 496 0000.")
    if len(compact) != 11:
        return compact  # a few older 10-digit area codes: leave as written
    if compact.startswith("07"):
        return f"{compact[:5]} {compact[5:]}"
    if compact.startswith("02"):
        return f"{compact[:3]} {compact[3:7]} {compact[7:]}"
    return f"{compact[:4]} {compact[4:7]} {compact[7:]}"
