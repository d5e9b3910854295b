"""JSON from requests, read safely: malformed text, or nesting deeper than any real request
needs (which would exhaust the parser's recursion: a 500), is refused with ``BadJson``, which
callers answer with a 422. Pure: no Django."""

import json
from typing import Any

MAX_DEPTH = 32


class BadJson(ValueError):
    """Not JSON we read: malformed, or nested deeper than ``MAX_DEPTH``."""


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects, outside strings (one pass, no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def loads(raw: str | bytes) -> Any:
    text = raw.decode("utf-8", errors="strict") if isinstance(raw, bytes) else raw
    if _depth(text) > MAX_DEPTH:
        raise BadJson(f"The JSON is nested more than {MAX_DEPTH} levels deep.")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BadJson("The body is not valid JSON.") from exc
