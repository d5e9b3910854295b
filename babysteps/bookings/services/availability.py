"""Facilitators' times for calls (every week, or one date), cut into bookable slots."""

from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import Membership, Role, User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object
from babysteps.bookings.models import Availability
from babysteps.licensing.models import Site

AVAILABILITY_HORIZON_DAYS = 400


@transaction.atomic
def availability_add(
    *,
    facilitator: User,
    site: Site,
    created_by: User,
    kind: str,
    start_time: time,
    end_time: time,
    valid_from: date,
    weekday: int | None = None,
    valid_until: date | None = None,
    slot_minutes: int = 30,
    today: date | None = None,
) -> Availability:
    """Publish times for calls: every week on a weekday (from ``valid_from``, optionally
    until ``valid_until``), or once on the date ``valid_from``."""
    day = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not Membership.objects.filter(user=facilitator, role=Role.FACILITATOR, site=site).exists():
        errors["facilitator"] = _("%(facilitator)s is not a facilitator at %(site)s.") % {
            "facilitator": facilitator,
            "site": site,
        }
    if kind not in Availability.Kind.values:
        errors["kind"] = _("Choose every week or one date.")
    if start_time is None or end_time is None or end_time <= start_time:
        errors["end_time"] = _("The time must end after it starts.")
    if not 10 <= slot_minutes <= 120:
        errors["slot_minutes"] = _("Slots are between 10 and 120 minutes long.")
    elif "end_time" not in errors:
        length = (end_time.hour * 60 + end_time.minute) - (start_time.hour * 60 + start_time.minute)
        if length < slot_minutes:
            errors["end_time"] = _("The time is shorter than one slot.")
    if kind == Availability.Kind.WEEKLY:
        if weekday is None or not 0 <= weekday <= 6:
            errors["weekday"] = _("Choose the day of the week.")
        if valid_until is not None and valid_until < max(valid_from, day):
            errors["valid_until"] = _("The last date must be on or after the first, and not past.")
    else:
        weekday, valid_until = None, None
        if valid_from < day:
            errors["valid_from"] = _("That date is in the past. Choose today or a later date.")
        elif valid_from > day + timedelta(days=AVAILABILITY_HORIZON_DAYS):
            errors["valid_from"] = _("That date is more than a year ahead.")
    if errors:
        raise ValidationError(errors)
    row = Availability.objects.create(
        facilitator=facilitator,
        site=site,
        kind=kind,
        weekday=weekday,
        valid_from=valid_from,
        valid_until=valid_until,
        start_time=start_time,
        end_time=end_time,
        slot_minutes=slot_minutes,
        created_by=created_by,
    )
    audit_object(actor=created_by, action=Action.CREATE, obj=row, site_id=site.pk)
    return row


@transaction.atomic
def availability_remove(*, availability: Availability, removed_by: User) -> None:
    """Withdraw published times. Calls already booked in them stand."""
    availability.active = False
    availability.save(update_fields=["active"])
    audit_object(
        actor=removed_by,
        action=Action.CHANGE,
        obj=availability,
        site_id=availability.site_id,
        detail={"fields": ["active"]},
    )


# --- Booking --------------------------------------------------------------------------------
