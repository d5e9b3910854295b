"""Reports read from a replica of the database when there is one (``DATABASE_REPLICA_URL``).

Only code that asks reads there: a report view wrapped in ``reads_from_replica`` (its
access check, in the decorators outside it, still reads the primary), and only its reads;
every write, and every read anywhere else, goes to the primary. A replica is seconds
behind at most, which a report can bear and a form that has just saved cannot. Without a
replica configured, everything uses the primary, as before.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import SimpleTemplateResponse

REPLICA = "replica"
_reading = ContextVar("reading_from_replica", default=False)


def reading() -> bool:
    """Whether reads now go to the replica (when there is one)."""
    return _reading.get()


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def _streamed_from_replica(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """A streamed export's rows are read as it is sent, after the view has returned."""
    iterator = iter(chunks)
    while True:
        with replica_reads():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


def reads_from_replica(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponseBase:
        with replica_reads():
            response = view(*args, **kwargs)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()  # its template's reads too
        if isinstance(response, StreamingHttpResponse) and not response.is_async:
            content = cast(Iterator[bytes], response.streaming_content)
            response.streaming_content = _streamed_from_replica(content)
        return response

    return wrapped


def _has_replica() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads inside ``replica_reads`` go to the replica if one is configured, unless a
    transaction is open on the primary; everything else, writes included (even of rows read
    from the replica), to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        # Inside a transaction on the primary (a write under way: the audit chaining its
        # next event to the newest, say), reads stay with the primary and see its writes.
        if _reading.get() and _has_replica() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database and its copy

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary
