"""A staff sign-in in a browser that held a portal session ends the portal session, so
one session is never both a member of staff and a parent."""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from babysteps.portal.identity import PORTAL_KEYS


@receiver(user_logged_in, dispatch_uid="portal_end_on_staff_sign_in")
def end_portal_session(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        for key in PORTAL_KEYS:
            request.session.pop(key, None)
