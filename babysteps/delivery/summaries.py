"""Summaries kept on write: what each parent of a family has attended (``ParentDelivery``).

Read far more than written (the evaluation, dose and delivery figures read every family
nationally), so worked out when an attendance line or a contact changes, for the families
it touches, inside the same transaction (a rollback takes the summary back too). Writes
that bypass the models' signals (``bulk_create``, ``QuerySet.update``) call
``family_summaries_refresh`` themselves; data loaded in bulk outside the app is followed by
``manage.py rebuild_summaries``. ``summaries_from_scratch`` is the definition both use.
"""

from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import post_delete, post_save

from babysteps.core.summaries import summary
from babysteps.delivery.models import REMOTE_MODES, Attendance, Contact, ParentDelivery
from babysteps.families.models import Family
from babysteps.families.signals import family_merged

ROLES = ("mother", "partner")
SUMMARY_FIELDS = (
    "family_id",
    "role",
    "attended",
    "remote",
    "components",
    "remote_watch_known",
    "remote_watched",
)


class Received(NamedTuple):
    """What one parent of a family attended (present, and that parent there). A named
    tuple: the national evaluation makes 200,000 of them."""

    attended: int = 0  # sessions, calls and visits
    remote: int = 0  # of which by phone or video call
    components: int = 0  # distinct programme components
    remote_watch_known: int = 0  # remote ones where watching the videos beforehand is known
    remote_watched: int = 0  # of which they had watched them


def summaries_from_scratch(lines: QuerySet[Attendance]) -> dict[tuple[int, str], Received]:
    """The definition: (family id, role) -> what that parent attended, from the attendance
    lines given, in one grouped query (two entries for each family with any line)."""
    remote = Q(contact__mode__in=REMOTE_MODES)
    known = remote & Q(watched_videos_beforehand__isnull=False)
    watched = remote & Q(watched_videos_beforehand=True)
    aggregates: dict[str, Count] = {}
    for role in ROLES:
        there = Q(present=True, **{role: True})
        aggregates |= {
            f"{role}_attended": Count("pk", filter=there),
            f"{role}_remote": Count("pk", filter=there & remote),
            f"{role}_components": Count("contact__component", filter=there, distinct=True),
            f"{role}_known": Count("pk", filter=there & known),
            f"{role}_watched": Count("pk", filter=there & watched),
        }
    rows = lines.values("family_id").annotate(**aggregates).order_by()
    out = {}
    row: dict[str, Any]
    for row in rows.iterator(chunk_size=5000):  # type: ignore[assignment]
        for role in ROLES:
            out[(row["family_id"], role)] = Received(
                attended=row[f"{role}_attended"],
                remote=row[f"{role}_remote"],
                components=row[f"{role}_components"],
                remote_watch_known=row[f"{role}_known"],
                remote_watched=row[f"{role}_watched"],
            )
    return out


def _write(figures: dict[tuple[int, str], Received]) -> None:
    ParentDelivery.objects.bulk_create(
        (
            ParentDelivery(
                family_id=family_id,
                role=role,
                attended=r.attended,
                remote=r.remote,
                components=r.components,
                remote_watch_known=r.remote_watch_known,
                remote_watched=r.remote_watched,
            )
            for (family_id, role), r in figures.items()
        ),
        batch_size=5000,
    )


@transaction.atomic
def family_summaries_refresh(family_ids: Iterable[int]) -> None:
    """Work out again the summaries of these families from their attendance lines."""
    ids = sorted(set(family_ids))
    if not ids:
        return
    ParentDelivery.objects.filter(family_id__in=ids).delete()
    _write(summaries_from_scratch(Attendance.objects.filter(family_id__in=ids)))


@summary("what each parent has attended (delivery.ParentDelivery)")
@transaction.atomic
def summaries_rebuild() -> int:
    """Every family's summary from scratch, a batch of families at a time. Returns the
    number of rows written."""
    ParentDelivery.objects.all().delete()
    written = 0
    ids = list(Attendance.objects.values_list("family_id", flat=True).distinct().order_by())
    for start in range(0, len(ids), 5000):
        figures = summaries_from_scratch(
            Attendance.objects.filter(family_id__in=ids[start : start + 5000])
        )
        _write(figures)
        written += len(figures)
    return written


def _attendance_changed(sender: type, instance: Attendance, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures: rebuild_summaries follows
    family_summaries_refresh([instance.family_id])


def _contact_changed(sender: type, instance: Contact, **kwargs: Any) -> None:
    # Its mode or component may have changed: every family on it is worked out again.
    if kwargs.get("raw") or kwargs.get("created"):
        return  # a new contact has no lines yet
    fields = kwargs.get("update_fields")
    if fields is not None and not {"mode", "component", "component_id"} & set(fields):
        return  # notes, times, facilitators: nothing a summary counts
    family_summaries_refresh(
        Attendance.objects.filter(contact_id=instance.pk).values_list("family_id", flat=True)
    )


def _merged(sender: type, keep: Family, **kwargs: Any) -> None:
    family_summaries_refresh([keep.pk])


def connect() -> None:
    post_save.connect(_attendance_changed, sender=Attendance, dispatch_uid="summary-attendance")
    post_delete.connect(_attendance_changed, sender=Attendance, dispatch_uid="summary-deleted")
    post_save.connect(_contact_changed, sender=Contact, dispatch_uid="summary-contact")
    family_merged.connect(_merged, dispatch_uid="summary-merge")
