"""The API's request parser: Django-ninja's, reading JSON safely (``core.jsonbody``: no
malformed or too-deep body) and refusing text that holds a NUL character.

No record field may hold NUL (PostgreSQL text cannot store it, and no real name, note or
answer contains one), so a body or query string with one is invalid input: a 422 naming
the field, before anything reaches a service or the database.
"""

from typing import Any

from ninja.parser import Parser

from babysteps.core.jsonbody import loads

NUL = "\x00"
MESSAGE = "Text may not contain a NUL character."


class NulCharacterError(ValueError):
    """Raised by the parser; ``errors`` is in the API's 422 shape."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        super().__init__(MESSAGE)


def nul_locations(data: Any, loc: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    """Where in parsed JSON (or a query dict) a string holds a NUL, keys included."""
    if isinstance(data, str):
        return [loc] if NUL in data else []
    found: list[tuple[str | int, ...]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and NUL in key:
                found.append((*loc, key.replace(NUL, "")))
            found.extend(nul_locations(value, (*loc, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(nul_locations(value, (*loc, index)))
    return found


def _refuse(data: Any, where: str) -> Any:
    found = nul_locations(data, (where,))
    if found:
        raise NulCharacterError(
            [{"loc": list(loc), "msg": MESSAGE, "type": "value_error"} for loc in found]
        )
    return data


class StrictParser(Parser):
    def parse_body(self, request):
        # Malformed or too deep: BadJson, which the framework turns into a 400 and the API
        # into a 422 (babysteps/api/api.py).
        return _refuse(loads(request.body), "body")

    def parse_querydict(self, data, list_fields, request):
        return _refuse(super().parse_querydict(data, list_fields, request), "query")
