"""Which door the work came in by (web, api, command, task), for the audit trail.

Set once at the edge (the request middleware, a command, a task) instead of being threaded
through every service call.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_channel: ContextVar[str] = ContextVar("audit_channel", default="web")


def current_channel() -> str:
    return _channel.get()


@contextmanager
def audit_channel(name: str) -> Iterator[None]:
    token = _channel.set(name)
    try:
        yield
    finally:
        _channel.reset(token)
