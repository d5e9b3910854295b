# Over 400 lines: pausing, resuming and keeping paused cohorts right change together.
"""The remote-delivery switch: pause group delivery (each future group session becomes a
remote call for every family, with video pre-work) or resume it, for a whole site or one
cohort, from a date.

Each use is an append-only ``DeliverySwitch``; what a session *is* follows from them
(``rules.governing_on``). ``cohort_delivery_sync`` makes a cohort's future sessions match:
it converts sessions (creating the families' planned calls) or restores them (withdrawing
calls not yet made, cancelling bookings still ahead). The same sync runs every minute, so
families who join a paused cohort get their calls, and families who leave lose theirs.
Nothing in the past is touched: only sessions still ahead change, and contacts never do.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object
from babysteps.bookings.models import CallMode, PlannedCall
from babysteps.bookings.reminders import session_group
from babysteps.bookings.services import CallChanges, planned_calls_ensure, planned_calls_withdraw
from babysteps.cohorts.models import Cohort, Enrolment, PlannedSession
from babysteps.delivery import rules
from babysteps.delivery.models import DeliverySwitch, SessionConversion
from babysteps.delivery.services.switch_notices import switch_notify
from babysteps.families.models import Family
from babysteps.licensing.models import Site
from babysteps.notifications.services import messages_cancel

RESUMED_REASON = "Group sessions resumed."
LEFT_REASON = "The family no longer has a place in the cohort."


@dataclass
class SyncResult:
    sessions_converted: int = 0
    sessions_restored: int = 0
    calls: CallChanges = field(default_factory=CallChanges)
    cohorts_changed: set[int] = field(default_factory=set)

    def add(self, other: "SyncResult") -> None:
        self.sessions_converted += other.sessions_converted
        self.sessions_restored += other.sessions_restored
        self.calls.add(other.calls)
        self.cohorts_changed |= other.cohorts_changed

    @property
    def anything(self) -> int:
        c = self.calls
        return self.sessions_converted + self.sessions_restored + c.created + c.withdrawn


def switches_for_cohort(*, cohort: Cohort) -> list[DeliverySwitch]:
    """The switches that apply to a cohort: its own and its site's, newest first."""
    return list(
        DeliverySwitch.objects.filter(
            Q(cohort=cohort) | Q(site_id=cohort.site_id, cohort__isnull=True)
        ).select_related("created_by", "cohort")
    )


def cohort_governing(*, cohort: Cohort, day: date) -> rules.Governing:
    """The cohort's state on ``day``, with the next day it changes (``until``)."""
    return rules.state_on([s.as_point() for s in switches_for_cohort(cohort=cohort)], day)


def cohorts_governing(
    *, site: Site, cohorts: list[Cohort], day: date
) -> dict[int, rules.Governing]:
    """``cohort_governing`` for many cohorts of one site, from one query."""
    layers: dict[int | None, list[rules.SwitchPoint]] = {}
    for switch in DeliverySwitch.objects.filter(site=site).select_related("created_by", "cohort"):
        layers.setdefault(switch.cohort_id, []).append(switch.as_point())
    site_layer = layers.get(None, [])
    return {
        cohort.pk: rules.state_on([*layers.get(cohort.pk, []), *site_layer], day)
        for cohort in cohorts
    }


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _place_holders(cohort: Cohort) -> list[Family]:
    return [
        e.family
        for e in Enrolment.objects.filter(cohort=cohort, status__in=Enrolment.HOLDS_PLACE)
        .select_related("family")
        .order_by("family_id")
    ]


@transaction.atomic
def cohort_delivery_sync(
    *,
    cohort: Cohort,
    now: datetime | None = None,
    changed_by: User | None = None,
    switch: DeliverySwitch | None = None,
    notify: bool = True,
) -> SyncResult:
    """Make the cohort's future group sessions match the switches: convert those that
    fall in a pause (and keep every place-holding family's call in the right mode),
    restore the others. Idempotent; safe to run from two processes at once."""
    moment = now or timezone.now()
    points = [s.as_point() for s in switches_for_cohort(cohort=cohort)]
    result = SyncResult()
    sessions = list(
        PlannedSession.objects.filter(
            cohort=cohort, starts_at__gt=moment, component__kind="group_session"
        ).select_related("component", "cohort")
    )
    if not sessions:
        return result
    live = {
        c.planned_session_id: c
        for c in SessionConversion.objects.filter(
            planned_session__in=sessions, ended_at__isnull=True
        )
    }
    holders = _place_holders(cohort) if points else []
    holder_ids = {f.pk for f in holders}
    for session in sessions:
        governing = rules.governing_on(points, _local_day(session.starts_at))
        conversion = live.get(session.pk)
        if governing.paused:
            assert governing.switch_id is not None
            if conversion is None:
                try:
                    with transaction.atomic():
                        SessionConversion.objects.create(
                            planned_session=session,
                            cohort=cohort,
                            switch_id=governing.switch_id,
                            mode=governing.mode,
                            prework=governing.prework,
                            converted_at=moment,
                        )
                except IntegrityError:
                    continue  # converted by another process a moment ago
                result.sessions_converted += 1
                result.cohorts_changed.add(cohort.pk)
                messages_cancel(group=session_group(session.pk), reason="Now a call instead.")
            elif (conversion.switch_id, conversion.mode, conversion.prework) != (
                governing.switch_id,
                governing.mode,
                governing.prework,
            ):
                conversion.switch_id = governing.switch_id
                conversion.mode, conversion.prework = governing.mode, governing.prework
                conversion.save(update_fields=["switch", "mode", "prework"])
                result.cohorts_changed.add(cohort.pk)
            result.calls.add(
                planned_calls_ensure(
                    session=session,
                    families=holders,
                    mode=governing.mode,
                    prework=governing.prework,
                    now=moment,
                )
            )
            gone = list(
                PlannedCall.objects.filter(planned_session=session, reason="remote")
                .exclude(status=PlannedCall.Status.WITHDRAWN)
                .exclude(family_id__in=holder_ids)
                .values_list("family_id", flat=True)
            )
            if gone:
                result.calls.add(
                    planned_calls_withdraw(
                        session=session,
                        reason=LEFT_REASON,
                        changed_by=changed_by,
                        notify=notify,
                        now=moment,
                        families=gone,
                    )
                )
        elif conversion is not None:
            conversion.ended_at = moment
            conversion.ended_by = switch
            conversion.save(update_fields=["ended_at", "ended_by"])
            result.sessions_restored += 1
            result.cohorts_changed.add(cohort.pk)
            result.calls.add(
                planned_calls_withdraw(
                    session=session,
                    reason=RESUMED_REASON,
                    changed_by=changed_by,
                    notify=notify,
                    now=moment,
                )
            )
    return result


def scope_cohorts(site: Site, cohort: Cohort | None) -> list[Cohort]:
    if cohort is not None:
        return [cohort]
    return list(Cohort.objects.filter(site=site).select_related("site"))


def follow_switches_when_planned(cohort: Cohort) -> None:
    """Registered with the cohorts app: a cohort whose sessions were just (re)planned
    follows its site's switches now, e.g. one created during a pause."""
    cohort_delivery_sync(cohort=cohort)


def site_governing(*, site: Site, day: date) -> rules.Governing:
    """Whether the site as a whole (its own layer of switches) is paused on ``day``."""
    points = [s.as_point() for s in DeliverySwitch.objects.filter(site=site, cohort__isnull=True)]
    return rules.state_on(points, day)


def _validate(
    *,
    site: Site,
    cohort: Cohort | None,
    from_date: date | None,
    reason: str,
    moment: datetime,
    errors: dict[str, str],
) -> str:
    text = " ".join((reason or "").split())
    if cohort is not None and cohort.site_id != site.pk:
        errors["cohort"] = _("That cohort is at another site.")
    if not text:
        errors["reason"] = _("Give a reason (e.g. national lockdown).")
    elif len(text) > 200:
        errors["reason"] = _("Keep the reason to 200 characters.")
    if from_date is None:
        errors["from_date"] = _("Give the date it starts from.")
    elif from_date < _local_day(moment):
        errors["from_date"] = _(
            "That date has passed. Choose today or later: sessions that have happened "
            "are never changed."
        )
    return text


def _record(
    *,
    site: Site,
    cohort: Cohort | None,
    action: str,
    from_date: date,
    reason: str,
    mode: str,
    prework: bool,
    changed_by: User,
    notify: bool,
    moment: datetime,
) -> DeliverySwitch:
    switch = DeliverySwitch.objects.create(
        site=site,
        cohort=cohort,
        action=action,
        from_date=from_date,
        remote_mode=mode,
        prework=prework,
        reason=reason,
        created_by=changed_by,
        created_at=moment,
    )
    total = SyncResult()
    for each in scope_cohorts(site, cohort):
        total.add(
            cohort_delivery_sync(
                cohort=each, now=moment, changed_by=changed_by, switch=switch, notify=notify
            )
        )
    switch.sessions_changed = total.sessions_converted + total.sessions_restored
    switch.calls_created = total.calls.created
    switch.calls_withdrawn = total.calls.withdrawn
    switch.bookings_cancelled = total.calls.bookings_cancelled
    switch.save(
        update_fields=["sessions_changed", "calls_created", "calls_withdrawn", "bookings_cancelled"]
    )
    audit_object(
        actor=changed_by,
        action=Action.CREATE,
        obj=switch,
        site_id=site.pk,
        detail={
            "action": action,
            "cohort": cohort.pk if cohort else None,
            "cohorts_changed": sorted(total.cohorts_changed),
            "sessions_changed": switch.sessions_changed,
            "calls_created": switch.calls_created,
            "calls_withdrawn": switch.calls_withdrawn,
        },
    )
    if notify:
        switch_notify(switch=switch, families=total.calls.families, cohorts=total.cohorts_changed)
    return switch


@transaction.atomic
def delivery_pause(
    *,
    site: Site,
    from_date: date | None,
    reason: str,
    mode: str,
    changed_by: User,
    cohort: Cohort | None = None,
    prework: bool = True,
    notify: bool = True,
    now: datetime | None = None,
) -> DeliverySwitch:
    """Pause group delivery from ``from_date`` for the site (``cohort`` None) or one
    cohort: every later group session becomes a ``mode`` call for each family, with
    video pre-work. Pausing again while paused changes the mode (e.g. to video-first)."""
    moment = now or timezone.now()
    errors: dict[str, str] = {}
    text = _validate(
        site=site, cohort=cohort, from_date=from_date, reason=reason, moment=moment, errors=errors
    )
    if mode not in CallMode.values:
        errors["mode"] = _("Choose phone calls or video calls.")
    if not errors and from_date is not None:
        now_state = (
            cohort_governing(cohort=cohort, day=from_date)
            if cohort is not None
            else site_governing(site=site, day=from_date)
        )
        if now_state.paused and (now_state.mode, now_state.prework) == (mode, prework):
            errors["from_date"] = _(
                "Group delivery is already paused on that date (%(mode)ss)."
            ) % {"mode": CallMode(mode).label.lower()}
    if errors or from_date is None:
        raise ValidationError(errors)
    return _record(
        site=site,
        cohort=cohort,
        action=DeliverySwitch.Action.PAUSE,
        from_date=from_date,
        reason=text,
        mode=mode,
        prework=prework,
        changed_by=changed_by,
        notify=notify,
        moment=moment,
    )


@transaction.atomic
def delivery_resume(
    *,
    site: Site,
    from_date: date | None,
    reason: str,
    changed_by: User,
    cohort: Cohort | None = None,
    notify: bool = True,
    now: datetime | None = None,
) -> DeliverySwitch:
    """Resume group delivery from ``from_date`` for the site or one cohort: the remaining
    converted sessions are group sessions again. Calls already made stay as they are; calls
    still to book are withdrawn; calls booked for a time still ahead are cancelled (the
    family comes to the group instead) and the parents are told. A cohort paused on its
    own stays paused when the site resumes."""
    moment = now or timezone.now()
    errors: dict[str, str] = {}
    text = _validate(
        site=site, cohort=cohort, from_date=from_date, reason=reason, moment=moment, errors=errors
    )
    if not errors and from_date is not None:
        now_state = (
            cohort_governing(cohort=cohort, day=from_date)
            if cohort is not None
            else site_governing(site=site, day=from_date)
        )
        if not now_state.paused:
            where = "this cohort" if cohort is not None else "the site as a whole"
            errors["from_date"] = _("Group delivery is not paused for %(where)s on that date.") % {
                "where": where
            }
    if errors or from_date is None:
        raise ValidationError(errors)
    return _record(
        site=site,
        cohort=cohort,
        action=DeliverySwitch.Action.RESUME,
        from_date=from_date,
        reason=text,
        mode="",
        prework=True,
        changed_by=changed_by,
        notify=notify,
        moment=moment,
    )


def delivery_sync_all(*, now: datetime) -> int:
    """The periodic sync: every cohort a switch applies to (families join and leave,
    sessions are moved). Returns how many sessions and calls changed."""
    sites = set(DeliverySwitch.objects.values_list("site_id", flat=True))
    if not sites:
        return 0
    cohorts = Cohort.objects.filter(
        site_id__in=sites,
        planned_sessions__starts_at__gt=now,
        planned_sessions__component__kind="group_session",
    ).distinct()
    return sum(cohort_delivery_sync(cohort=c, now=now).anything for c in cohorts)
