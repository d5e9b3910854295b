"""Authentication and permissions for staff."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from babysteps.accounts.models import User, normalise_email
from babysteps.accounts.selectors import roles_for


class EmailBackend(ModelBackend):
    """Sign in with email (case-insensitive) and password.

    NSPCC programme admins hold every model permission in the Django admin; nobody else
    does, whatever flags an account carries, so the admin cannot be opened sideways.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        email = kwargs.get("email", username)
        if email is None or password is None:
            return None
        return super().authenticate(request, username=normalise_email(email), password=password)

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active and roles_for(user_obj).is_admin)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return bool(user_obj.is_active and roles_for(user_obj).is_admin)
