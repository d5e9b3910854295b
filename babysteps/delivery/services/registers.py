"""Recording a group session's register: one row for every family holding a place, with
catch-up calls offered to those who missed it."""

from collections.abc import Mapping, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.bookings.services import catch_up_withdraw, planned_call_catch_up
from babysteps.cohorts.models import Enrolment, PlannedSession
from babysteps.delivery.models import Attendance, Contact, Mode, SessionConversion
from babysteps.delivery.services.contacts import (
    AttendanceIn,
    audit_contact,
    fill_prework,
    local_day,
    validate_common,
)
from babysteps.families.models import Family
from babysteps.programme.models import KeyMessage


def register_families(*, session: PlannedSession) -> list[Family]:
    """The families on a session's register: those holding a place in the cohort, and
    those who withdrew on or after the session's day. Parents loaded, ordered by name."""
    day = local_day(session.starts_at)
    rows = (
        Enrolment.objects.filter(cohort_id=session.cohort_id)
        .select_related("family")
        .prefetch_related("family__parents")
    )
    families = {
        e.family_id: e.family
        for e in rows
        if e.status in Enrolment.HOLDS_PLACE
        or (e.status == Enrolment.Status.WITHDRAWN and e.status_changed_on >= day)
    }
    return sorted(families.values(), key=lambda f: (f.display_name.lower(), f.pk))


def session_is_remote(*, session: PlannedSession) -> bool:
    return SessionConversion.objects.filter(planned_session=session, ended_at__isnull=True).exists()


@transaction.atomic
def register_record(
    *,
    session: PlannedSession,
    starts_at: datetime,
    planned_minutes: int,
    actual_minutes: int,
    facilitators: Sequence[User],
    recorded_by: User,
    attendance: Mapping[int, AttendanceIn],
    key_messages: Sequence[KeyMessage] = (),
    notes: str = "",
    offer_catch_up: bool = True,
    now: datetime | None = None,
) -> Contact:
    """Record (or correct) a group session's register: one row for every family on it,
    present or not. ``attendance`` maps family ids to who came; a family left out was
    absent; a family not on the register is an error. Absent families can be offered a
    catch-up call (a planned call their facilitators then book)."""
    moment = now or timezone.now()
    errors: dict[str, str] = {}
    component = session.component
    cohort = session.cohort
    if not component.is_group_session:
        errors["session"] = _("%(code)s is a home visit: record it for the family.") % {
            "code": component.code
        }
    elif session_is_remote(session=session):
        errors["session"] = _(
            "This session is being delivered as per-family calls: record each call instead."
        )
    families = register_families(session=session)
    known = {f.pk for f in families}
    outsiders = [fid for fid in attendance if fid not in known]
    if outsiders:
        errors["attendance"] = _("A family on the register is not in this cohort.")
    elif not families:
        errors["attendance"] = _("No families hold a place in this cohort.")
    elif any(a.present and not a.anyone for a in attendance.values()):
        errors["attendance"] = _("For each family present, say who came.")
    validate_common(
        cohort=cohort,
        component=component,
        starts_at=starts_at,
        planned_minutes=planned_minutes,
        actual_minutes=actual_minutes,
        facilitators=facilitators,
        key_messages=key_messages,
        moment=moment,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    contact = Contact.objects.filter(planned_session=session, mode=Mode.GROUP).first()
    action = Action.CHANGE if contact is not None else Action.CREATE
    if contact is None:
        try:
            with transaction.atomic():
                contact = Contact.objects.create(
                    cohort=cohort,
                    component=component,
                    mode=Mode.GROUP,
                    starts_at=starts_at,
                    planned_minutes=planned_minutes,
                    actual_minutes=actual_minutes,
                    planned_session=session,
                    notes=notes.strip(),
                    recorded_by=recorded_by,
                    recorded_at=moment,
                )
        except IntegrityError:
            raise ValidationError(
                {
                    "session": _(
                        "Someone has just recorded this register. Open it again to correct it."
                    )
                }
            ) from None
    else:
        contact.starts_at = starts_at
        contact.planned_minutes = planned_minutes
        contact.actual_minutes = actual_minutes
        contact.notes = notes.strip()
        contact.save(update_fields=["starts_at", "planned_minutes", "actual_minutes", "notes"])
        contact.attendances.all().delete()
    contact.facilitators.set(facilitators)
    contact.key_messages.set(key_messages)
    absent = AttendanceIn(present=False)
    rows = []
    for family in families:
        given = attendance.get(family.pk, absent)
        rows.append(
            Attendance(
                contact=contact,
                family=family,
                present=given.present,
                mother=given.present and given.mother,
                partner=given.present and given.partner,
                baby=given.present and given.baby,
                supporter=given.present and given.supporter,
            )
        )
    fill_prework(contact, rows, {fid: a.watched_videos_beforehand for fid, a in attendance.items()})
    Attendance.objects.bulk_create(rows)
    audit_contact(contact, action, recorded_by, family_id=None)
    if offer_catch_up and starts_at is not None:
        open_places = set(
            Enrolment.objects.filter(cohort=cohort, status__in=Enrolment.OPEN).values_list(
                "family_id", flat=True
            )
        )
        for row in rows:
            if row.present:
                catch_up_withdraw(family=row.family, session=session, now=moment)
            elif row.family_id in open_places:
                planned_call_catch_up(
                    family=row.family, session=session, created_by=recorded_by, now=moment
                )
    return contact
