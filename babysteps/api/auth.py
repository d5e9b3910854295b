from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from babysteps.accounts.models import User
from babysteps.accounts.second_factor import passed
from babysteps.api.services import api_token_user


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer bst_...`` for integrations."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class StaffSessionAuth(SessionAuth):
    """The pages' own calls: the signed-in session, with Django's CSRF check on writes."""

    def authenticate(self, request: HttpRequest, key: Any) -> User | None:
        """Only a session that has passed the second factor (integrations use tokens)."""
        user = super().authenticate(request, key)
        verified = user is not None and user.is_active and passed(request.user)
        return user if verified else None
