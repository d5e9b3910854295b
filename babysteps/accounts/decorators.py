"""View guards for staff pages. Object-level scope is checked by the access chokepoints
(``babysteps.<app>.access``)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from babysteps.accounts.second_factor import has_second_factor, passed
from babysteps.accounts.selectors import Roles, roles_for


def second_factor_redirect(request: HttpRequest) -> HttpResponseBase | None:
    """Where a signed-in member of staff goes before any staff page: to pass their second
    factor, or to set one up (at first sign-in, or after an admin reset it). None once
    passed. The password alone reaches no staff page."""
    user = request.user
    if user.is_authenticated and passed(user):
        return None
    target = "accounts:second_factor" if has_second_factor(user) else "accounts:second_factor_setup"  # type: ignore[arg-type]
    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def verified_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed in, with the second factor passed (the user's own pages: details, password)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return second_factor_redirect(request) or view(request, *args, **kwargs)

    return wrapped


def staff_required(
    test: Callable[[Roles], bool] | None = None,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Anonymous visitors go to sign in. Signed-in users without a staff role (or without
    the role ``test`` asks for) get a 403 page for a list or form page, and a 404 for a
    page about one object (it has URL arguments), as if it did not exist for them.
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            pending = second_factor_redirect(request)
            if pending is not None:
                return pending
            roles = roles_for(request.user)
            if not roles.is_staff_member or (test is not None and not test(roles)):
                if kwargs:
                    raise Http404("Not found.")
                return TemplateResponse(request, "accounts/no_access.html", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
