"""Reads of sensitive records, written to the audit trail once per request.

A chokepoint notes what it read (``read_record``); the page's panels then name what else
they showed beside it (``read_shows``: the family's alerts, its referrals). When the request
ends, every read is written as one event that says everything that was seen. Nothing is
ever updated afterwards, so the trail can stay insert-only.

Outside a request (a command, the shell) there is no page to wait for: a read is written
at once.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core.channel import current_channel

# Reads are audited by the chokepoints; a CHANGE is audited by the service that makes it,
# inside its transaction, so a failed write leaves no event.
AUDITED_READS = (Action.VIEW, Action.EXPORT)


@dataclass
class _Read:
    actor: AbstractBaseUser | AnonymousUser | None
    action: str
    object_type: str
    object_id: int
    family_id: int | None
    site_id: int | None
    channel: str
    reason: str
    shown: dict[str, set[int]] = field(default_factory=dict)

    def write(self) -> None:
        detail: dict[str, Any] = {}
        if self.shown:
            detail["shown"] = {kind: sorted(ids) for kind, ids in sorted(self.shown.items())}
        audit_record(
            actor=self.actor,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            family_id=self.family_id,
            site_id=self.site_id,
            channel=self.channel,
            reason=self.reason,
            detail=detail,
        )


_pending: ContextVar[list[_Read] | None] = ContextVar("audit_reads", default=None)
# Families a page named outside its main read (a home panel, a cohort's list of families):
# where each was shown, written as one LIST event when the request ends.
_named: ContextVar[dict[str, set[int]] | None] = ContextVar("audit_named", default=None)
_named_actor: ContextVar[AbstractBaseUser | AnonymousUser | None] = ContextVar(
    "audit_named_actor", default=None
)


def _write_named(
    actor: AbstractBaseUser | AnonymousUser | None, named: dict[str, set[int]]
) -> None:
    family_ids = sorted(set().union(*named.values()))
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="family",
        reason="; ".join(sorted(named)),
        detail={"family_ids": family_ids},
    )


def families_named(
    actor: AbstractBaseUser | AnonymousUser | None, family_ids: Iterable[int], *, where: str
) -> None:
    """A page or panel showed these families by name. In a request they join the request's
    one LIST event (written at its end, with every place that named them); outside one the
    event is written at once."""
    ids = {int(i) for i in family_ids}
    if not ids:
        return
    named = _named.get()
    if named is None:
        _write_named(actor, {where: ids})
    else:
        named.setdefault(where, set()).update(ids)
        _named_actor.set(actor)


@contextmanager
def reads_collected() -> Iterator[None]:
    """Collect the reads of one request and write each as one event at its end (unless the
    view failed: ``reads_discard``)."""
    token = _pending.set([])
    named_token = _named.set({})
    try:
        yield
    finally:
        reads = _pending.get() or []
        named = _named.get() or {}
        _pending.reset(token)
        _named.reset(named_token)
        for read in reads:
            read.write()
        if named:
            _write_named(_named_actor.get(), named)


def reads_discard() -> None:
    """Forget this request's reads: the view refused the page as a whole (a 404 for an
    object it went on to look up), so it showed nothing."""
    pending = _pending.get()
    if pending is not None:
        pending.clear()
    named = _named.get()
    if named is not None:
        named.clear()


def read_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    object_type: str,
    object_id: int,
    family_id: int | None,
    site_id: int | None,
    channel: str | None = None,
    reason: str = "",
) -> None:
    """Note a read by a chokepoint (VIEW or EXPORT; any other action is audited by the
    service that performs it, so nothing is noted)."""
    if action not in AUDITED_READS:
        return
    read = _Read(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        family_id=family_id,
        site_id=site_id,
        channel=channel or current_channel(),
        reason=reason,
    )
    pending = _pending.get()
    if pending is None:
        read.write()
    else:
        pending.append(read)


def _pending_read(object_type: str, object_id: int) -> _Read | None:
    for read in _pending.get() or []:
        if read.object_type == object_type and read.object_id == object_id:
            return read
    return None


def read_is_pending(object_type: str, object_id: int) -> bool:
    """Whether this request has noted a read of the object (its page's one event)."""
    return _pending_read(object_type, object_id) is not None


def page_names_families(
    actor: AbstractBaseUser | AnonymousUser | None,
    object_type: str,
    object_id: int,
    family_ids: Iterable[int],
    *,
    where: str,
) -> None:
    """The page of a record (a cohort, a group session) names these families: on the
    page's read event when there is one, else (a form shown again after a refused write)
    on the request's LIST event."""
    ids = sorted({int(i) for i in family_ids})
    if read_is_pending(object_type, object_id):
        read_shows(object_type, object_id, "family", ids)
    else:
        families_named(actor, ids, where=where)


def read_shows(object_type: str, object_id: int, kind: str, ids: list[int]) -> None:
    """Name ``ids`` (records of ``kind``) on this request's read of the object: a page read
    stays exactly one event, and the event still says everything that was seen."""
    read = _pending_read(object_type, object_id)
    if read is not None and ids:
        read.shown.setdefault(kind, set()).update(ids)
