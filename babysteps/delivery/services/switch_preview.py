"""What pausing or resuming would change, shown to the manager before they confirm.

The preview runs the real switch (the same validation and sync, with no messages) inside
a savepoint and rolls it back, so it can never disagree with what confirming does; it
reads what changed before the rollback: sessions, calls created and withdrawn, bookings
cancelled (who and when), and the families who would be told."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from babysteps.accounts.models import User
from babysteps.bookings.models import CallBooking, PlannedCall
from babysteps.cohorts.models import Cohort
from babysteps.delivery.services.switch import delivery_pause, delivery_resume, scope_cohorts
from babysteps.families.models import Family
from babysteps.licensing.models import Site


@dataclass(frozen=True)
class CancelledCall:
    family: str
    component: str
    starts_at: datetime
    facilitator: str


@dataclass
class SwitchPreview:
    sessions_changed: int = 0
    calls_created: int = 0
    calls_withdrawn: int = 0
    cancelled: list[CancelledCall] = field(default_factory=list)
    families_told: list[str] = field(default_factory=list)
    cohorts: list[str] = field(default_factory=list)


class _Rollback(Exception):
    def __init__(self, preview: SwitchPreview) -> None:
        super().__init__("preview")
        self.preview = preview


def delivery_switch_preview(
    *,
    action: str,
    site: Site,
    cohort: Cohort | None,
    from_date: date | None,
    reason: str,
    changed_by: User,
    mode: str = "",
    prework: bool = True,
    now: datetime | None = None,
) -> SwitchPreview:
    """What ``delivery_pause`` / ``delivery_resume`` would do now. Raises the same
    ValidationError they would; writes nothing."""
    moment = now or timezone.now()
    cohort_ids = [c.pk for c in scope_cohorts(site, cohort)]
    booked = set(
        CallBooking.objects.filter(
            cohort_id__in=cohort_ids, status=CallBooking.Status.BOOKED, starts_at__gt=moment
        ).values_list("pk", flat=True)
    )
    calls_before = dict(
        PlannedCall.objects.filter(cohort_id__in=cohort_ids).values_list("pk", "status")
    )
    try:
        with transaction.atomic():
            if action == "pause":
                switch = delivery_pause(
                    site=site,
                    cohort=cohort,
                    from_date=from_date,
                    reason=reason,
                    mode=mode,
                    prework=prework,
                    changed_by=changed_by,
                    notify=False,
                    now=moment,
                )
            else:
                switch = delivery_resume(
                    site=site,
                    cohort=cohort,
                    from_date=from_date,
                    reason=reason,
                    changed_by=changed_by,
                    notify=False,
                    now=moment,
                )
            cancelled = list(
                CallBooking.objects.filter(pk__in=booked)
                .exclude(status=CallBooking.Status.BOOKED)
                .select_related("family", "component", "facilitator")
                .order_by("starts_at", "pk")
            )
            changed_calls = [
                (pk, family_id, cohort_id)
                for pk, family_id, cohort_id, status in PlannedCall.objects.filter(
                    cohort_id__in=cohort_ids
                ).values_list("pk", "family_id", "cohort_id", "status")
                if calls_before.get(pk) != status
            ]
            family_ids = {f for _pk, f, _c in changed_calls} | {b.family_id for b in cancelled}
            touched = {c for _pk, _f, c in changed_calls} | {b.cohort_id for b in cancelled}
            preview = SwitchPreview(
                sessions_changed=switch.sessions_changed,
                calls_created=switch.calls_created,
                calls_withdrawn=switch.calls_withdrawn,
                cancelled=[
                    CancelledCall(
                        family=b.family.display_name,
                        component=b.component.code,
                        starts_at=b.starts_at,
                        facilitator=b.facilitator.full_name,
                    )
                    for b in cancelled
                ],
                families_told=sorted(
                    f.display_name
                    for f in Family.objects.filter(pk__in=family_ids).prefetch_related("parents")
                    if any(p.email or p.mobile for p in f.parents.all())
                ),
                cohorts=list(
                    Cohort.objects.filter(pk__in=touched)
                    .order_by("name")
                    .values_list("name", flat=True)
                ),
            )
            raise _Rollback(preview)
    except _Rollback as rolled_back:
        return rolled_back.preview
