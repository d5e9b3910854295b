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


def pseudonym(kind: str, value: object) -> str:
    digest = hmac.new(_key(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{PREFIXES.get(kind, 'X')}-{digest[:12].upper()}"
