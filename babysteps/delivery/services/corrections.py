"""Correcting a one-family contact after it was recorded (a group session is corrected
by taking its register again): only what the person changed, audited by field name."""

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object
from babysteps.delivery.models import Contact, Correction, FollowUpTask, Mode
from babysteps.delivery.services.contacts import AttendanceIn, validate_lengths_and_messages
from babysteps.delivery.services.follow_ups import follow_up_if_needed
from babysteps.programme.models import KeyMessage


@transaction.atomic
def contact_correct(
    *,
    contact: Contact,
    corrected_by: User,
    planned_minutes: int,
    actual_minutes: int,
    attendance: AttendanceIn,
    key_messages: Sequence[KeyMessage] = (),
    notes: str = "",
    now: datetime | None = None,
) -> list[str]:
    """Correct what was recorded about a one-family contact (a group session is
    corrected through its register): its lengths, who took part, the key messages and
    the notes. When, how, what and by whom stay as recorded (record a new contact if
    those were wrong). Returns the names of the fields changed, which is what the audit
    event records (never the values). A home visit that the correction makes "shortened"
    gets its follow-up call; an existing follow-up is left for its holder to close."""
    moment = now or timezone.now()
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.is_group:
        raise ValidationError({"contact": _("Correct a group session through its register.")})
    row = contact.attendances.get()
    errors: dict[str, str] = {}
    if not attendance.anyone:
        errors["attendance"] = _("Say who took part (the mother, partner or a supporter).")
    # When and by whom stay as recorded (and were checked then): only what changes here.
    validate_lengths_and_messages(
        component=contact.component,
        planned_minutes=planned_minutes,
        actual_minutes=actual_minutes,
        key_messages=key_messages,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    changed: list[str] = []
    notes = notes.strip()
    for field, value in (
        ("planned_minutes", planned_minutes),
        ("actual_minutes", actual_minutes),
        ("notes", notes),
    ):
        if getattr(contact, field) != value:
            setattr(contact, field, value)
            changed.append(field)
    if set(contact.key_messages.values_list("pk", flat=True)) != {m.pk for m in key_messages}:
        contact.key_messages.set(key_messages)
        changed.append("key_messages")
    who = ("mother", "partner", "baby", "supporter")
    if any(getattr(row, f) != getattr(attendance, f) for f in who):
        for f in who:
            setattr(row, f, getattr(attendance, f))
        row.save(update_fields=list(who))
        changed.append("attendance")
    if not changed:
        raise ValidationError({"contact": _("Nothing was changed.")})
    contact.corrected_by, contact.corrected_at = corrected_by, moment
    contact.save(
        update_fields=[f for f in changed if f in ("planned_minutes", "actual_minutes", "notes")]
        + ["corrected_by", "corrected_at"]
    )
    Correction.objects.create(
        contact=contact,
        corrected_by=corrected_by,
        corrected_at=moment,
        fields=changed,
        family_ids=[row.family_id] if "attendance" in changed else [],
    )
    audit_object(
        actor=corrected_by,
        action=Action.CHANGE,
        obj=contact,
        family_id=row.family_id,
        site_id=contact.cohort.site_id,
        detail={"fields": changed, "correction": True},
    )
    if contact.mode == Mode.HOME_VISIT and not FollowUpTask.objects.filter(visit=contact).exists():
        facilitators = list(contact.facilitators.select_related("practitioner"))
        follow_up_if_needed(contact=contact, family=row.family, facilitators=facilitators)
    return changed
