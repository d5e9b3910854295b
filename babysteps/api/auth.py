from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from babysteps.accounts.models import User
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
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
