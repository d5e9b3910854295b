from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from babysteps.accounts.second_factor import passed
from babysteps.accounts.selectors import roles_for


class BabyStepsAdminSite(admin.AdminSite):
    """The Django admin, open to NSPCC programme admins only. Family records are not
    registered here: they are reached through the audited pages, never around them."""

    site_header = "Baby Steps administration"
    site_title = "Baby Steps admin"
    index_title = "Licensing, staff and curriculum"

    def has_permission(self, request: HttpRequest) -> bool:
        """Signed in, past the second factor, and an NSPCC admin."""
        user = request.user
        verified = user.is_authenticated and passed(user)
        return bool(user.is_active and verified and roles_for(user).is_admin)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The admin has no sign-in of its own: staff sign in (password, then the second
        factor) on the staff pages, and only NSPCC admins get in."""
        wanted = request.GET.get("next") or reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(wanted, reverse("accounts:login"))
        if not passed(request.user):
            return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': wanted})}")
        raise Http404("Not found.")
