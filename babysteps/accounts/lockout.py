"""Guessing staff passwords, made useless without locking the real person out.

- django-axes locks an (account, address) pair after ``AXES_FAILURE_LIMIT`` failures. The
  account is counted by its normalised email (case and surrounding spaces do not make a new
  account), through ``AXES_USERNAME_CALLABLE``.
- Failures against one account from many addresses step that account up: once
  ``SIGN_IN_STEP_UP_FAILURES`` have been counted in the window, its password is checked
  only together with a valid code from its second factor. Someone guessing from rotating
  addresses can no longer test passwords at all, while the real person, who has the
  second factor, signs in as usual. The window is counted for any address typed, known
  or not, so stepping up says nothing about whether an account exists.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from babysteps.accounts.models import normalise_email
from babysteps.core.ratelimit import attempts, hit

BUCKET = "signin-account"


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The account axes counts failures against: the email as the sign-in normalises it."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username", "")
    return normalise_email(str(raw or ""))


def account_failed(username: str) -> None:
    hit(
        BUCKET,
        normalise_email(username),
        limit=settings.SIGN_IN_STEP_UP_FAILURES,
        window_seconds=settings.SIGN_IN_STEP_UP_WINDOW_SECONDS,
    )


def account_stepped_up(username: str) -> bool:
    """Whether this account's password is now checked only together with a valid code."""
    return attempts(BUCKET, normalise_email(username)) >= settings.SIGN_IN_STEP_UP_FAILURES
