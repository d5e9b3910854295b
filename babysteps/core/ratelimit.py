"""Fixed-window rate limits in Django's cache, for the portal's sign-in and the staff
password reset.

Limits are counted whether or not the address is known, so a limit never hints that an
address exists. Keys are hashed: no address or IP address is stored in the cache as is.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest
from ipware import get_client_ip


class RateLimited(Exception):
    """Too many attempts; the message says when to try again, in plain words."""


def _key(bucket: str, ident: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{ident}".encode()).hexdigest()[:40]
    return f"rl:{bucket}:{digest}"


def attempts(bucket: str, ident: str) -> int:
    """How many attempts the current window has counted (without counting one)."""
    return int(cache.get(_key(bucket, ident)) or 0)


def _database_cache() -> bool:
    return str(settings.CACHES["default"]["BACKEND"]).endswith("DatabaseCache")


def hit(bucket: str, ident: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt. True while the count in the current window is within ``limit``.

    The database cache's ``incr`` is a read then a write: two processes could both read 2
    and both write 3. With that cache the count is taken in a transaction that holds the
    key (SQLite's immediate transactions take the write lock at BEGIN; PostgreSQL takes an
    advisory lock on the key), so every process sees the others' attempts."""
    key = _key(bucket, ident)
    if not _database_cache():
        return _count(key, window_seconds) <= limit
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                lock = int(hashlib.sha256(key.encode()).hexdigest()[:15], 16)
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
        return _count(key, window_seconds) <= limit


def _count(key: str, window_seconds: int) -> int:
    cache.add(key, 0, timeout=window_seconds)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def client_address(request: HttpRequest) -> str | None:
    """The client's address, for every limit (the staff sign-in lockout through
    ``AXES_CLIENT_IP_CALLABLE``, the portal's and the password reset's limits); None when
    the request carries none (e.g. a test client's forced sign-in).

    With no proxy in front (``TRUSTED_PROXY_COUNT=0``) it is the connection's address, and
    any X-Forwarded-For header is ignored. Behind N trusted proxies, each of which appends
    the address it was reached from, it is the N-th address from the right of
    X-Forwarded-For: whatever a client writes further left is never believed.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    address: str | None = None
    if proxies:
        # django-ipware counts the proxies listed in the header (all but the last, whose
        # own address is the connection's): the client is chain[-(proxy_count + 1)].
        address, _ = get_client_ip(
            request,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            proxy_count=proxies - 1,
            strict=False,
        )
    if address is None:
        address, _ = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return address


def client_ip(request: HttpRequest) -> str:
    """``client_address`` as a key for the limits ("unknown" when there is none)."""
    return client_address(request) or "unknown"
