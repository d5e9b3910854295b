"""Who the parent is: a portal session, kept apart from staff accounts.

A parent is never a Django user: the portal session holds the parent's id (and a hash of
the contact details they signed in with, so changing those ends the session). Staff pages
check ``request.user`` and so never see a parent; portal pages check only this.
"""

import hashlib
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.crypto import constant_time_compare

from babysteps.cohorts.models import Enrolment
from babysteps.core.channel import audit_channel
from babysteps.families.models import Parent

SESSION_PARENT = "portal_parent_id"
SESSION_HASH = "portal_parent_hash"
# The language chosen with the switcher on this browser, and the signed-in parent's own.
SESSION_LANGUAGE = "portal_language"
SESSION_PARENT_LANGUAGE = "portal_parent_language"
PORTAL_KEYS = (SESSION_PARENT, SESSION_HASH, SESSION_PARENT_LANGUAGE, "portal_challenges")
_CACHE = "_portal_parent"


def _details_hash(parent: Parent) -> str:
    raw = f"{parent.pk}:{parent.email.strip().lower()}:{parent.mobile}:{settings.SECRET_KEY}"
    return hashlib.sha256(raw.encode()).hexdigest()


def eligible_parents():
    """Parents whose family holds a cohort place (withdrawn families have no portal)."""
    holds = Enrolment.objects.filter(
        family_id=OuterRef("family_id"), status__in=Enrolment.HOLDS_PLACE
    )
    return Parent.objects.filter(Exists(holds))


def portal_sign_in(request: HttpRequest, parent: Parent) -> None:
    """Start a fresh portal session (a new session key, nothing carried over: no staff
    sign-in survives in the same session). A language chosen on this browser stays."""
    language = request.session.get(SESSION_LANGUAGE)
    request.session.flush()
    if language:
        request.session[SESSION_LANGUAGE] = language
    request.session[SESSION_PARENT] = parent.pk
    request.session[SESSION_PARENT_LANGUAGE] = parent.portal_language
    request.session[SESSION_HASH] = _details_hash(parent)
    request.session.set_expiry(timedelta(days=settings.PORTAL_SESSION_DAYS))
    setattr(request, _CACHE, parent)


def portal_sign_out(request: HttpRequest) -> None:
    request.session.flush()
    setattr(request, _CACHE, None)


def current_parent(request: HttpRequest) -> Parent | None:
    """The signed-in parent (family and site loaded), or None. Cached per request."""
    if hasattr(request, _CACHE):
        return getattr(request, _CACHE)
    parent = None
    parent_id = request.session.get(SESSION_PARENT)
    if parent_id is not None:
        parent = (
            eligible_parents()
            .select_related("family", "family__site", "portal_profile")
            .filter(pk=parent_id)
            .first()
        )
        if parent is not None and not constant_time_compare(
            request.session.get(SESSION_HASH, ""), _details_hash(parent)
        ):
            parent = None
        if parent is None:
            for key in PORTAL_KEYS:
                request.session.pop(key, None)
    setattr(request, _CACHE, parent)
    return parent


class ParentHttpRequest(HttpRequest):
    """A portal page's request: ``parent_required`` has found the signed-in parent."""

    portal_parent: Parent


def parent_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Portal pages: a signed-out visitor is sent to sign in for a page without URL
    arguments, and gets a 404 for one about an object (a video, its file, its progress),
    exactly as a parent of another family would."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        parent = current_parent(request)
        if parent is None:
            if kwargs:
                raise Http404("Not found.")
            return redirect("portal:sign_in")
        cast(ParentHttpRequest, request).portal_parent = parent
        with audit_channel("portal"):
            return view(request, *args, **kwargs)

    return wrapped


def portal_channel(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Audit events written by a portal page say they came through the portal."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with audit_channel("portal"):
            return view(request, *args, **kwargs)

    return wrapped
