"""Writes for cohorts: creating them, staffing them, planning their schedule, and
enrolling families. Each function is one transaction and audits what it changed."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import Membership, Role, User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object
from babysteps.cohorts import hooks
from babysteps.cohorts.models import Cohort, CohortFacilitator, Enrolment, PlannedSession
from babysteps.cohorts.schedule import ComponentSpec, plan_schedule
from babysteps.families.models import Family
from babysteps.families.services import ParentDetails, family_create
from babysteps.licensing.models import Site
from babysteps.programme.models import Component

COHORT_FIELDS = (
    "name",
    "start_date",
    "due_date_from",
    "due_date_to",
    "capacity",
    "delivery_mode",
    "venue",
)


def _validate_cohort(cohort: Cohort) -> None:
    errors: dict[str, str] = {}
    if cohort.due_date_from and cohort.due_date_to and cohort.due_date_to < cohort.due_date_from:
        errors["due_date_to"] = _("The latest due date must be on or after the earliest.")
    if cohort.start_date and cohort.due_date_from and cohort.start_date >= cohort.due_date_from:
        errors["start_date"] = _("The first session must come before the earliest due date.")
    if cohort.capacity is not None and not 1 <= cohort.capacity <= 20:
        errors["capacity"] = _("Capacity must be between 1 and 20 families.")
    if errors:
        raise ValidationError(errors)
    cohort.full_clean()


@transaction.atomic
def cohort_create(
    *,
    site: Site,
    created_by: User,
    name: str,
    start_date: date,
    due_date_from: date,
    due_date_to: date,
    capacity: int = 8,
    delivery_mode: str = Cohort.DeliveryMode.GROUP,
    venue: str = "",
) -> Cohort:
    """Create a cohort and plan its schedule from the start date and due-date window."""
    cohort = Cohort(
        site=site,
        name=name.strip(),
        start_date=start_date,
        due_date_from=due_date_from,
        due_date_to=due_date_to,
        capacity=capacity,
        delivery_mode=delivery_mode,
        venue=venue,
    )
    _validate_cohort(cohort)
    cohort.save()
    cohort_schedule_generate(cohort=cohort)
    audit_object(actor=created_by, action=Action.CREATE, obj=cohort, site_id=site.pk)
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, changed_by: User, **changes: object) -> Cohort:
    """Change a cohort's details. Lowering capacity below the families it already holds
    is refused rather than leaving the cohort silently over capacity."""
    unknown = set(changes) - set(COHORT_FIELDS)
    if unknown:
        raise ValueError(f"Not cohort fields: {sorted(unknown)}")
    changed = [f for f, v in changes.items() if getattr(cohort, f) != v]
    for field_name in changed:
        setattr(cohort, field_name, changes[field_name])
    _validate_cohort(cohort)
    if "capacity" in changed:
        taken = Enrolment.objects.filter(cohort=cohort, status__in=Enrolment.HOLDS_PLACE).count()
        if cohort.capacity < taken:
            raise ValidationError(
                {
                    "capacity": _(
                        "%(taken)s families already hold places; capacity cannot be lower."
                    )
                    % {"taken": taken}
                }
            )
    if changed:
        cohort.save(update_fields=changed)
        audit_object(
            actor=changed_by,
            action=Action.CHANGE,
            obj=cohort,
            site_id=cohort.site_id,
            detail={"fields": changed},
        )
    return cohort


@transaction.atomic
def cohort_facilitator_add(*, cohort: Cohort, user: User, added_by: User) -> CohortFacilitator:
    """Only a trained facilitator of the cohort's own site may facilitate it."""
    is_site_facilitator = Membership.objects.filter(
        user=user, role=Role.FACILITATOR, site_id=cohort.site_id
    ).exists()
    if not is_site_facilitator or not user.is_active:
        raise ValidationError(
            {
                "user": _("%(user)s is not a facilitator at %(site)s.")
                % {"user": user, "site": cohort.site}
            }
        )
    profile = getattr(user, "practitioner", None)
    if profile is None:
        raise ValidationError(
            {"user": _("%(user)s has no practitioner profile (role, training).") % {"user": user}}
        )
    if not profile.is_trained():
        raise ValidationError(
            {
                "user": _("%(user)s has not completed Baby Steps training, so cannot facilitate.")
                % {"user": user}
            }
        )
    if CohortFacilitator.objects.filter(cohort=cohort, user=user).exists():
        raise ValidationError(
            {"user": _("%(user)s already facilitates this cohort.") % {"user": user}}
        )
    link = CohortFacilitator.objects.create(cohort=cohort, user=user)
    audit_object(
        actor=added_by,
        action=Action.CHANGE,
        obj=cohort,
        site_id=cohort.site_id,
        detail={"facilitator_added": user.pk},
    )
    return link


@transaction.atomic
def cohort_facilitator_remove(*, cohort: Cohort, user: User, removed_by: User) -> None:
    deleted, _by_model = CohortFacilitator.objects.filter(cohort=cohort, user=user).delete()
    if not deleted:
        raise ValidationError(
            {"user": _("%(user)s does not facilitate this cohort.") % {"user": user}}
        )
    audit_object(
        actor=removed_by,
        action=Action.CHANGE,
        obj=cohort,
        site_id=cohort.site_id,
        detail={"facilitator_removed": user.pk},
    )


def _latest_due_date(cohort: Cohort) -> date:
    latest = Enrolment.objects.filter(cohort=cohort, status__in=Enrolment.OPEN).aggregate(
        latest=Max("family__estimated_due_date")
    )["latest"]
    return max(latest, cohort.due_date_to) if latest else cohort.due_date_to


@transaction.atomic
def cohort_schedule_generate(*, cohort: Cohort, keep_edited: bool = True) -> list[PlannedSession]:
    """(Re)plan the eleven components from the start date and the families' due dates.
    Sessions edited by hand are kept unless ``keep_edited`` is False."""
    components = list(Component.objects.order_by("order"))
    specs = [
        ComponentSpec(c.code, c.kind, c.phase, c.order, c.typical_duration_minutes)
        for c in components
    ]
    by_code = {c.code: c for c in components}
    existing = {s.component_id: s for s in PlannedSession.objects.filter(cohort=cohort)}
    result = []
    for slot in plan_schedule(
        start_date=cohort.start_date, latest_due_date=_latest_due_date(cohort), components=specs
    ):
        component = by_code[slot.code]
        starts_at = timezone.make_aware(datetime.combine(slot.day, slot.at))
        session = existing.get(component.pk)
        if session is None:
            session = PlannedSession.objects.create(
                cohort=cohort,
                component=component,
                starts_at=starts_at,
                duration_minutes=slot.duration_minutes,
                location=cohort.venue if component.is_group_session else "Family home",
            )
        elif not (session.edited and keep_edited):
            session.starts_at = starts_at
            session.duration_minutes = slot.duration_minutes
            session.edited = False
            session.save(update_fields=["starts_at", "duration_minutes", "edited"])
        result.append(session)
    hooks.schedule_planned(cohort)
    return result


@transaction.atomic
def planned_session_update(
    *,
    session: PlannedSession,
    changed_by: User,
    starts_at: datetime,
    duration_minutes: int,
    location: str,
) -> PlannedSession:
    """Edit one planned component; it is then kept when the schedule is regenerated."""
    if not 5 <= duration_minutes <= 480:
        raise ValidationError({"duration_minutes": _("Give a duration between 5 and 480 minutes.")})
    cohort = session.cohort
    window_start = timezone.make_aware(
        datetime.combine(cohort.start_date - timedelta(days=180), datetime.min.time())
    )
    if starts_at < window_start:
        raise ValidationError({"starts_at": _("That date is long before the cohort starts.")})
    session.starts_at = starts_at
    session.duration_minutes = duration_minutes
    session.location = location
    session.edited = True
    session.save(update_fields=["starts_at", "duration_minutes", "location", "edited"])
    audit_object(
        actor=changed_by,
        action=Action.CHANGE,
        obj=session,
        site_id=cohort.site_id,
        detail={"cohort": cohort.pk},
    )
    return session


# --- Enrolment -------------------------------------------------------------------------

ENROLMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    Enrolment.Status.REFERRED: frozenset({"enrolled", "withdrawn"}),
    Enrolment.Status.ENROLLED: frozenset({"active", "withdrawn"}),
    Enrolment.Status.ACTIVE: frozenset({"completed", "withdrawn"}),
    Enrolment.Status.WITHDRAWN: frozenset({"enrolled"}),
    Enrolment.Status.COMPLETED: frozenset(),
}


def _check_capacity(cohort: Cohort) -> None:
    # Lock the cohort row so two simultaneous enrolments cannot both take the last place.
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    taken = Enrolment.objects.filter(cohort=locked, status__in=Enrolment.HOLDS_PLACE).count()
    if taken >= locked.capacity:
        raise ValidationError(
            {
                "cohort": _("%(locked)s is full (%(capacity)s families). Choose another cohort.")
                % {"locked": locked, "capacity": locked.capacity}
            }
        )


@transaction.atomic
def enrolment_create(
    *,
    family: Family,
    cohort: Cohort,
    created_by: User | None,
    status: str = Enrolment.Status.REFERRED,
    today: date | None = None,
) -> Enrolment:
    """Give a family a place in a cohort of its own site, within capacity."""
    day = today or timezone.localdate()
    if cohort.site_id != family.site_id:
        raise ValidationError({"cohort": _("A family can only join a cohort at its own site.")})
    if status not in Enrolment.OPEN:
        raise ValidationError({"status": _("A new place starts as referred, enrolled or active.")})
    if not cohort.site.can_deliver(day):
        raise ValidationError(
            {
                "cohort": _("%(site)s's licence is not in force, so it cannot take families.")
                % {"site": cohort.site}
            }
        )
    if Enrolment.objects.filter(family=family, status__in=Enrolment.OPEN).exists():
        raise ValidationError({"cohort": _("This family already has an open place in a cohort.")})
    _check_capacity(cohort)
    enrolment = Enrolment.objects.create(
        family=family, cohort=cohort, status=status, status_changed_on=day, created_by=created_by
    )
    audit_object(
        actor=created_by,
        action=Action.CREATE,
        obj=enrolment,
        family_id=family.pk,
        site_id=family.site_id,
        detail={"cohort": cohort.pk, "status": status},
    )
    return enrolment


@transaction.atomic
def enrolment_change_status(
    *,
    enrolment: Enrolment,
    status: str,
    changed_by: User,
    withdrawal_reason: str = "",
    today: date | None = None,
) -> Enrolment:
    """Move an enrolment along referred -> enrolled -> active -> completed, or withdraw it
    (a reason is required). A withdrawn family may be re-enrolled if there is room."""
    if status not in ENROLMENT_TRANSITIONS[enrolment.status]:
        raise ValidationError(
            {
                "status": _("An enrolment cannot go from %(get_status_display)s to %(label)s.")
                % {
                    "get_status_display": enrolment.get_status_display(),
                    "label": Enrolment.Status(status).label,
                }
            }
        )
    reason = withdrawal_reason.strip()
    if status == Enrolment.Status.WITHDRAWN and not reason:
        raise ValidationError({"withdrawal_reason": _("Say why the family is withdrawing.")})
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        _check_capacity(enrolment.cohort)
    enrolment.status = status
    enrolment.status_changed_on = today or timezone.localdate()
    enrolment.withdrawal_reason = reason if status == Enrolment.Status.WITHDRAWN else ""
    enrolment.full_clean(exclude=["family", "cohort", "created_by"])
    enrolment.save(update_fields=["status", "status_changed_on", "withdrawal_reason"])
    audit_object(
        actor=changed_by,
        action=Action.CHANGE,
        obj=enrolment,
        family_id=enrolment.family_id,
        site_id=enrolment.cohort.site_id,
        detail={"status": status},
    )
    return enrolment


@transaction.atomic
def family_register(
    *,
    site: Site,
    created_by: User | None,
    cohort: Cohort | None,
    mother: ParentDetails,
    partner: ParentDetails | None = None,
    today: date | None = None,
    **values: object,
) -> Family:
    """Record a family and, when a cohort is given, place it there: both or neither."""
    family = family_create(
        site=site, created_by=created_by, mother=mother, partner=partner, today=today, **values
    )
    if cohort is not None:
        enrolment_create(family=family, cohort=cohort, created_by=created_by, today=today)
    return family
