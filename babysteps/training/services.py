"""Writes for the training register. Completing every event of a course makes a
practitioner trained on the day the last of them ended; the practitioner's
``training_completed_on`` follows the latest completion."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import PractitionerProfile, User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object
from babysteps.licensing.models import Site
from babysteps.training.models import (
    Course,
    TrainingAttendance,
    TrainingCompletion,
    TrainingEvent,
    TrainingRequest,
)

STANDARD_COURSE = "baby-steps-facilitator"


def standard_course() -> Course:
    """The standard facilitator training: three events, six days (seeded by a data
    migration; made again if a test emptied the table)."""
    course, _created = Course.objects.get_or_create(
        code=STANDARD_COURSE,
        defaults={"name": "Baby Steps facilitator training", "events_required": 3, "days": 6},
    )
    return course


@transaction.atomic
def event_create(
    *,
    course: Course,
    number: int,
    starts_on: date,
    ends_on: date,
    place: str,
    trainer: str,
    created_by: User,
) -> TrainingEvent:
    errors: dict[str, str] = {}
    if not 1 <= number <= course.events_required:
        errors["number"] = _("The course has events 1 to %(events_required)s.") % {
            "events_required": course.events_required
        }
    if ends_on < starts_on:
        errors["ends_on"] = _("The event cannot end before it starts.")
    if not place.strip():
        errors["place"] = _("Say where it takes place.")
    if not trainer.strip():
        errors["trainer"] = _("Name the trainer.")
    if errors:
        raise ValidationError(errors)
    event = TrainingEvent.objects.create(
        course=course,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place.strip(),
        trainer=trainer.strip(),
        created_by=created_by,
    )
    audit_object(actor=created_by, action=Action.CREATE, obj=event)
    return event


def _completed(user: User) -> None:
    """A new completion answers any open request to train them."""
    TrainingRequest.objects.filter(user=user, closed_at__isnull=True).update(
        closed_at=timezone.now()
    )
    _sync_profile(user)


def _sync_profile(user: User) -> None:
    latest = (
        TrainingCompletion.objects.filter(user=user)
        .order_by("-completed_on")
        .values_list("completed_on", flat=True)
        .first()
    )
    profile = PractitionerProfile.objects.filter(user=user).first()
    if profile is not None:
        profile.training_completed_on = latest
        profile.save(update_fields=["training_completed_on"])
        user.practitioner = profile  # the caller's copy of the user sees it too


def _complete_if_done(user: User, course: Course) -> TrainingCompletion | None:
    """A completion once the user has attended an event of every number of the course
    (the latest of each), dated when the last of those ended."""
    latest: dict[int, date] = {}
    for number, ends_on in TrainingAttendance.objects.filter(
        user=user, event__course=course
    ).values_list("event__number", "event__ends_on"):
        latest[number] = max(latest.get(number, ends_on), ends_on)
    if set(range(1, course.events_required + 1)) - set(latest):
        return None
    completion, created = TrainingCompletion.objects.get_or_create(
        user=user,
        course=course,
        completed_on=max(latest.values()),
        defaults={"source": TrainingCompletion.Source.REGISTER, "recorded_at": timezone.now()},
    )
    return completion if created else None


@transaction.atomic
def attendance_record(
    *, event: TrainingEvent, users: Iterable[User], recorded_by: User, today: date | None = None
) -> list[TrainingCompletion]:
    """Record who attended (once the event has ended: nothing is recorded ahead).
    Returns the completions this made."""
    day = today or timezone.localdate()
    if event.ends_on > day:
        raise ValidationError(_("Attendance is recorded once the event has ended."))
    people = list(users)
    not_practitioners = [
        u for u in people if not PractitionerProfile.objects.filter(user=u).exists()
    ]
    if not_practitioners:
        raise ValidationError(
            "Only practitioners are trained: "
            + ", ".join(u.full_name for u in not_practitioners)
            + " has no professional role."
        )
    completions = []
    now = timezone.now()
    for user in people:
        _attendance, created = TrainingAttendance.objects.get_or_create(
            event=event, user=user, defaults={"recorded_by": recorded_by, "recorded_at": now}
        )
        if not created:
            continue
        audit_object(
            actor=recorded_by, action=Action.CREATE, obj=_attendance, detail={"event": event.pk}
        )
        completion = _complete_if_done(user, event.course)
        if completion is not None:
            completions.append(completion)
            audit_object(actor=recorded_by, action=Action.CREATE, obj=completion)
            _completed(user)
    return completions


@transaction.atomic
def completion_import(
    *, user: User, completed_on: date, recorded_by: User | None, course: Course | None = None
) -> TrainingCompletion:
    """A completion from before the register (a date someone gives)."""
    if completed_on > timezone.localdate():
        raise ValidationError(
            {"training_completed_on": _("Training cannot be completed in the future.")}
        )
    course = course or standard_course()
    completion, _created = TrainingCompletion.objects.get_or_create(
        user=user,
        course=course,
        completed_on=completed_on,
        defaults={"source": TrainingCompletion.Source.IMPORTED, "recorded_at": timezone.now()},
    )
    audit_object(actor=recorded_by, action=Action.CREATE, obj=completion)
    _completed(user)
    return completion


@transaction.atomic
def training_request(
    *, site: Site, user: User, requested_by: User, note: str = ""
) -> TrainingRequest:
    if TrainingRequest.objects.filter(site=site, user=user, closed_at__isnull=True).exists():
        raise ValidationError(_("Training is already requested for them."))
    request = TrainingRequest.objects.create(
        site=site,
        user=user,
        requested_by=requested_by,
        requested_at=timezone.now(),
        note=" ".join(note.split())[:500],
    )
    audit_object(actor=requested_by, action=Action.CREATE, obj=request, site_id=site.pk)
    return request
