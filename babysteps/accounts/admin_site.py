from django.contrib import admin
from django.http import HttpRequest

from babysteps.accounts.selectors import roles_for


class BabyStepsAdminSite(admin.AdminSite):
    """The Django admin, open to NSPCC programme admins only. Family records are not
    registered here: they are reached through the audited pages, never around them."""

    site_header = "Baby Steps administration"
    site_title = "Baby Steps admin"
    index_title = "Licensing, staff and curriculum"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and roles_for(user).is_admin)
