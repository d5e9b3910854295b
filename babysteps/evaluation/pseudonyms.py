"""Stable pseudonyms for evaluation exports: a keyed HMAC of the record's id, so the same
participant has the same pseudonym in every export, and nobody without the key can link
a pseudonym back to a record (or guess one from an id)."""

import hashlib
import hmac

from django.conf import settings


def _key() -> bytes:
    if settings.PSEUDONYM_KEY:
        return settings.PSEUDONYM_KEY.encode()
    # Derived from SECRET_KEY, but never equal to it. Set PSEUDONYM_KEY so that rotating
    # SECRET_KEY does not change every pseudonym.
    return hmac.new(settings.SECRET_KEY.encode(), b"babysteps-pseudonyms", hashlib.sha256).digest()


PREFIXES = {"participant": "P", "family": "F", "cohort": "C"}


def _made(key: bytes, kind: str, value: object) -> str:
    digest = hmac.digest(key, f"{kind}:{value}".encode(), "sha256").hex()
    return f"{PREFIXES.get(kind, 'X')}-{digest[:12].upper()}"


def pseudonym(kind: str, value: object) -> str:
    return _made(_key(), kind, value)


class Pseudonyms:
    """``pseudonym`` for one export of many rows: the key is worked out once, and each
    value's pseudonym once (a family, a cohort, a participant has several rows)."""

    def __init__(self) -> None:
        self._key = _key()
        self._known: dict[tuple[str, object], str] = {}

    def __call__(self, kind: str, value: object) -> str:
        known = self._known.get((kind, value))
        if known is None:
            known = self._known[(kind, value)] = _made(self._key, kind, value)
        return known
