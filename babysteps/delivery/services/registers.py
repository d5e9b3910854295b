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
from babysteps.audit.services import audit_object
from babysteps.bookings.services import catch_up_withdraw, planned_call_catch_up
from babysteps.cohorts.models import Enrolment, PlannedSession
from babysteps.delivery.models import Attendance, Contact, Correction, Mode, SessionConversion
from babysteps.delivery.services.contacts import (
    CLOCK_TOLERANCE,
    AttendanceIn,
    audit_contact,
    fill_prework,
    local_day,
    validate_common,
)
from babysteps.delivery.summaries import family_summaries_refresh
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


def session_not_started(*, session: PlannedSession, moment: datetime) -> bool:
    """A register opens only once its session has started (a few minutes' clock
    difference allowed): before then nobody has attended anything."""
    return session.starts_at > moment + CLOCK_TOLERANCE


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
    elif session_not_started(session=session, moment=moment):
        errors["session"] = _(
            "This session has not started yet: take its register once it has begun."
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
    contact = (
        Contact.objects.select_for_update().filter(planned_session=session, mode=Mode.GROUP).first()
    )
    if contact is None:
        contact, rows = _register_create(
            session=session,
            families=families,
            starts_at=starts_at,
            planned_minutes=planned_minutes,
            actual_minutes=actual_minutes,
            facilitators=facilitators,
            recorded_by=recorded_by,
            attendance=attendance,
            key_messages=key_messages,
            notes=notes,
            moment=moment,
        )
        audit_contact(contact, Action.CREATE, recorded_by, family_id=None)
    else:
        rows = _register_correct(
            contact,
            families=families,
            values={
                "starts_at": starts_at,
                "planned_minutes": planned_minutes,
                "actual_minutes": actual_minutes,
                "notes": notes.strip(),
            },
            facilitators=facilitators,
            attendance=attendance,
            key_messages=key_messages,
            corrected_by=recorded_by,
            moment=moment,
        )
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


def _row(contact: Contact, family: Family, given: AttendanceIn) -> Attendance:
    return Attendance(
        contact=contact,
        family=family,
        present=given.present,
        mother=given.present and given.mother,
        partner=given.present and given.partner,
        baby=given.present and given.baby,
        supporter=given.present and given.supporter,
    )


def _register_create(
    *,
    session: PlannedSession,
    families: list[Family],
    starts_at: datetime,
    planned_minutes: int,
    actual_minutes: int,
    facilitators: Sequence[User],
    recorded_by: User,
    attendance: Mapping[int, AttendanceIn],
    key_messages: Sequence[KeyMessage],
    notes: str,
    moment: datetime,
) -> tuple[Contact, list[Attendance]]:
    try:
        with transaction.atomic():
            contact = Contact.objects.create(
                cohort=session.cohort,
                component=session.component,
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
            {"session": _("Someone has just recorded this register. Open it again to correct it.")}
        ) from None
    contact.facilitators.set(facilitators)
    contact.key_messages.set(key_messages)
    absent = AttendanceIn(present=False)
    rows = [_row(contact, family, attendance.get(family.pk, absent)) for family in families]
    fill_prework(contact, rows, {fid: a.watched_videos_beforehand for fid, a in attendance.items()})
    Attendance.objects.bulk_create(rows)
    family_summaries_refresh(row.family_id for row in rows)  # bulk_create sends no signals
    return contact, rows


WHO = ("present", "mother", "partner", "baby", "supporter")


def _register_correct(
    contact: Contact,
    *,
    families: list[Family],
    values: dict[str, object],
    facilitators: Sequence[User],
    attendance: Mapping[int, AttendanceIn],
    key_messages: Sequence[KeyMessage],
    corrected_by: User,
    moment: datetime,
) -> list[Attendance]:
    """Change only what the person changed: each field, and each family's row, is
    compared with what was recorded; an untouched row keeps everything, including whether
    the family had watched the videos (it is not worked out again). The correction is
    kept (who, when, which fields and families) and audited by field name."""
    fields = [name for name, value in values.items() if getattr(contact, name) != value]
    for name in fields:
        setattr(contact, name, values[name])
    if set(contact.facilitators.values_list("pk", flat=True)) != {u.pk for u in facilitators}:
        contact.facilitators.set(facilitators)
        fields.append("facilitators")
    if set(contact.key_messages.values_list("pk", flat=True)) != {m.pk for m in key_messages}:
        contact.key_messages.set(key_messages)
        fields.append("key_messages")
    existing = {row.family_id: row for row in contact.attendances.all()}
    absent = AttendanceIn(present=False)
    rows: list[Attendance] = []
    changed_families: list[int] = []
    for family in families:
        given = attendance.get(family.pk, absent)
        wanted = _row(contact, family, given)
        row = existing.get(family.pk)
        if row is None:
            fill_prework(contact, [wanted], {family.pk: given.watched_videos_beforehand})
            wanted.save()
            rows.append(wanted)
            changed_families.append(family.pk)
            continue
        who_changed = [f for f in WHO if getattr(row, f) != getattr(wanted, f)]
        watched = row.watched_videos_beforehand
        if given.present and (
            "present" in who_changed or given.watched_videos_beforehand != watched
        ):
            fill_prework(contact, [wanted], {family.pk: given.watched_videos_beforehand})
            watched = wanted.watched_videos_beforehand
        elif not given.present:
            watched = None
        if who_changed or watched != row.watched_videos_beforehand:
            for f in WHO:
                setattr(row, f, getattr(wanted, f))
            row.watched_videos_beforehand = watched
            row.save(update_fields=[*WHO, "watched_videos_beforehand"])
            changed_families.append(family.pk)
        rows.append(row)
    if changed_families:
        fields.append("attendance")
    if not fields:
        raise ValidationError({"session": _("Nothing was changed.")})
    contact.corrected_by, contact.corrected_at = corrected_by, moment
    contact.save(
        update_fields=[
            *(f for f in fields if f in values),
            "corrected_by",
            "corrected_at",
        ]
    )
    Correction.objects.create(
        contact=contact,
        corrected_by=corrected_by,
        corrected_at=moment,
        fields=fields,
        family_ids=changed_families,
    )
    audit_object(
        actor=corrected_by,
        action=Action.CHANGE,
        obj=contact,
        family_id=None,
        site_id=contact.cohort.site_id,
        detail={"fields": fields, "families": len(changed_families)},
    )
    return rows
