from typing import Any

from django.http import HttpRequest

from babysteps.accounts.selectors import roles_for


def roles(request: HttpRequest) -> dict[str, Any]:
    """Expose the signed-in user's roles to templates (navigation shows what they may use)."""
    user = getattr(request, "user", None)
    return {"roles": roles_for(user) if user is not None else None}
