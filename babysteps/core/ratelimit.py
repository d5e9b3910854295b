"""Fixed-window rate limits in Django's cache, for the portal's sign-in and the staff
password reset.

Limits are counted whether or not the address is known, so a limit never hints that an
address exists. Keys are hashed: no address or IP address is stored in the cache as is.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


class RateLimited(Exception):
    """Too many attempts; the message says when to try again, in plain words."""


def hit(bucket: str, ident: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt. True while the count in the current window is within ``limit``."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{ident}".encode()).hexdigest()[:40]
    key = f"rl:{bucket}:{digest}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def client_ip(request: HttpRequest) -> str:
    """The client's address, from the same headers as the staff sign-in lockout."""
    for header in settings.AXES_IPWARE_META_PRECEDENCE_ORDER:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()
    return "unknown"
