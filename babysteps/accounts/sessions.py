"""Staff sessions end after ``SESSION_IDLE_MINUTES`` without a request and
``SESSION_ABSOLUTE_HOURS`` after sign-in, whatever happens in between (ASVS 7.3).

Both times live in the session; "last seen" is written at most once a minute, so a busy
page does not write the session on every request. Parents' portal sessions are not staff
sessions (no user signs in) and keep their own lifetime.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "staff_signed_in_at"
SEEN_AT = "staff_seen_at"
SEEN_GRANULARITY_SECONDS = 60


def mark_signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """``user_logged_in``: the session's clocks start now."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[SEEN_AT] = now


def expired_because(session: Any, now: float) -> str:
    """Why the session has run out ("" if it has not)."""
    started, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if started is not None and now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
        return f"You were signed out {settings.SESSION_ABSOLUTE_HOURS:g} hours after signing in."
    if seen is not None and now - seen > settings.SESSION_IDLE_MINUTES * 60:
        return (
            f"You were signed out after {settings.SESSION_IDLE_MINUTES} minutes without activity."
        )
    return ""


class StaffSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = time.time()
            reason = expired_because(session, now)
            if reason:
                path = request.get_full_path()
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(request, reason)
                    return redirect_to_login(path)
                # The API answers for an anonymous caller: a 401.
            else:
                session.setdefault(SIGNED_IN_AT, now)
                seen = session.get(SEEN_AT)
                if seen is None or now - seen >= SEEN_GRANULARITY_SECONDS:
                    session[SEEN_AT] = now
        return self.get_response(request)
