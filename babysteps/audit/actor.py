"""Who is acting, for audit events written far from the request (model signals that
record role grants made in the Django admin, say).

Set once at the edge, like the channel: the request middleware names the signed-in user;
a service that acts for someone else (a password set by an emailed link) names them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

Actor = AbstractBaseUser | AnonymousUser | None

_actor: ContextVar[Actor] = ContextVar("audit_actor", default=None)


def current_actor() -> Actor:
    """The user acting now, or None for the system (a command, a task)."""
    return _actor.get()


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)
