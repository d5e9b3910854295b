"""The request of a staff page: ``staff_required`` (pages) and the API's authentication
have checked that a member of staff signed in, so ``request.user`` is a ``User``."""

from django.http import HttpRequest

from babysteps.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User  # narrower than HttpRequest's, by the check above
