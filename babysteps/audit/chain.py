"""The audit trail's hash chain (pure: no Django).

Each event carries ``prev_hash`` (the previous event's hash) and ``hash``, an HMAC-SHA256
over the previous hash and the event's content in a canonical JSON form. Changing,
inserting or removing an event behind the application's back breaks the chain at that
event; without the key (kept out of the database) the chain cannot be recomputed to hide
it.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def digest(key: bytes, prev_hash: str, content: dict[str, Any]) -> str:
    payload = json.dumps(
        {"prev": prev_hash, "event": content},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Link:
    id: int
    prev_hash: str
    hash: str
    content: dict[str, Any]


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken_at: int | None  # the id of the first event that does not hold
    problem: str
    last_id: int | None
    last_hash: str


def verify(key: bytes, links: Iterable[Link], *, anchors: frozenset[str]) -> Verdict:
    """Walk the chain in order. The first event must follow the genesis or an anchor (the
    last hash of events purged by the retention job, recorded by the purge)."""
    expected: str | None = None
    checked, last_id, last_hash = 0, None, ""
    for link in links:
        if expected is None:
            if link.prev_hash != GENESIS and link.prev_hash not in anchors:
                return Verdict(
                    checked, link.id, "does not follow the start or a purge", last_id, last_hash
                )
        elif link.prev_hash != expected:
            return Verdict(
                checked, link.id, "does not follow the event before it", last_id, last_hash
            )
        if digest(key, link.prev_hash, link.content) != link.hash:
            return Verdict(
                checked, link.id, "its content does not match its hash", last_id, last_hash
            )
        expected = link.hash
        checked += 1
        last_id, last_hash = link.id, link.hash
    return Verdict(checked, None, "", last_id, last_hash)
