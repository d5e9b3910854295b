"""A family with a record of every kind the platform keeps, and a distinctive marker in
every free-text and name field of it (shared by the subject-access and erasure tests)."""

import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from babysteps.accounts.models import User
from babysteps.bookings.models import PlannedCall
from babysteps.cohorts.models import Enrolment
from babysteps.delivery.models import Contact
from babysteps.families.models import Family, Parent
from babysteps.measures.catalogue import seed_instruments
from babysteps.measures.models import Instrument, InstrumentRevision
from babysteps.notifications.models import Message
from babysteps.portal.models import ParentQuestion, PortalProfile, SignInChallenge
from babysteps.privacy.inventory import FAMILY_DATA
from babysteps.programme.curriculum import seed_curriculum
from babysteps.programme.models import Component, KeyMessage
from babysteps.safeguarding.models import (
    Escalation,
    ImmediateRiskAction,
    ReferralReason,
    SafeAndWellReferral,
)
from babysteps.safeguarding.reasons import seed_reasons
from babysteps.videos.models import Video, VideoRelease, VideoWatch

# How each inventory model reaches its family.
PATHS = {
    "families.Family": "pk",
    "delivery.Contact": "attendances__family",
    "safeguarding.CallAttempt": "referral__family",
    "safeguarding.Escalation": "referral__family",
    "portal.SignInChallenge": "parent__family",
    "portal.PortalProfile": "parent__family",
}
# Text the platform writes itself (keys, hashes, codes), not about the family.
SYSTEM_TEXT = {"key", "group", "token_hash", "code_salt", "code_hash", "browser_hash"}
SYSTEM_TEXT |= {"submission_key", "answers_hash", "scoring_version", "language"}
SYSTEM_TEXT |= {"provider_reference"}  # the email or SMS provider's id for a message
SYSTEM_TEXT |= {"batch"}  # the token of the batch a worker claimed a message in


def rows_of(label: str, family: Family) -> models.QuerySet:
    model = apps.get_model(label)
    return model.objects.filter(**{PATHS.get(label, "family"): family.pk}).distinct()


def text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and f.name not in SYSTEM_TEXT
    ]


@dataclass
class Marked:
    family: Family
    markers: dict[str, str] = field(default_factory=dict)  # marker -> "model.field"

    def where(self, marker: str) -> str:
        return self.markers[marker]


def _complete(family: Family, staff: User) -> None:
    """Give the family the kinds of records the demo did not give it."""
    now = timezone.now() - timedelta(days=1)
    mother = Parent.objects.get(family=family, role="mother")
    enrolment = Enrolment.objects.filter(family=family).select_related("cohort").first()
    assert enrolment is not None
    video = Video.objects.select_related("component").first()
    assert video is not None
    component = video.component
    if not VideoRelease.objects.filter(family=family, component=component).exists():
        VideoRelease.objects.create(
            family=family, component=component, touchpoint_at=now, released_at=now
        )
    VideoWatch.objects.get_or_create(
        video=video,
        parent=mother,
        defaults={"family": family, "first_played_at": now, "last_played_at": now},
    )
    SignInChallenge.objects.create(
        parent=mother,
        token_hash=f"{family.pk:064d}",
        code_salt="s",
        code_hash="h",
        created_at=now,
        expires_at=now + timedelta(minutes=15),
    )
    PortalProfile.objects.get_or_create(parent=mother)
    ParentQuestion.objects.create(family=family, parent=mother, text="a question")
    Message.objects.create(
        key=f"marker-{family.pk}",
        channel="email",
        to="someone@example.org",
        subject="a subject",
        body="a body",
        family=family,
        parent=mother,
        send_after=now,
    )
    if not PlannedCall.objects.filter(family=family).exists():
        PlannedCall.objects.create(
            family=family,
            cohort=enrolment.cohort,
            component=component,
            due_at=now,
            status_changed_at=now,
            created_at=now,
            status_reason="a reason",
        )
    ImmediateRiskAction.objects.create(
        family=family,
        occurred_at=now,
        called_999=True,
        reference="a reference",
        note="a note",
        recorded_by=staff,
    )
    for referral in SafeAndWellReferral.objects.filter(family=family):
        Escalation.objects.get_or_create(
            referral=referral, stage=Escalation.Stage.DUE_SOON, defaults={"at": now}
        )


def demo_family_with_everything() -> tuple[Family, Family]:
    """The demo, and two of its families: the one with a safe-and-well referral and call
    attempts (completed with the kinds of records it lacks), and another family."""
    # What the data migrations seeded, which a transactional test before may have flushed.
    seed_curriculum(Component, KeyMessage)
    seed_instruments(Instrument, InstrumentRevision)
    seed_reasons(ReferralReason)
    call_command("demo", stdout=StringIO())
    family = (
        Family.objects.filter(safe_and_well_referrals__call_attempts__isnull=False)
        .order_by("pk")
        .first()
    )
    assert family is not None
    other = Family.objects.exclude(pk=family.pk).filter(enrolments__isnull=False).order_by("pk")[0]
    staff = User.objects.get(email="admin@nspcc.demo")
    for each in (family, other):
        _complete(each, staff)
    return family, other


_serial = itertools.count(1)


def plant(family: Family, letter: str) -> Marked:
    """A marker (``zq<letter><n>x``) in every free-text and name field of every record of
    the family. A session shared with other families gets the mother's name (as a marker)
    in its notes instead: its notes are about the group."""
    marked = Marked(family)
    group_contacts = []
    for label in FAMILY_DATA:
        model = apps.get_model(label)
        fields = text_fields(model)
        if not fields:
            continue
        for row in rows_of(label, family):
            if label == "delivery.Contact" and row.attendances.count() > 1:
                group_contacts.append(row)
                continue
            for f in fields:
                marker = f"zq{letter}{next(_serial)}x"
                value = f"{marker}@example.org" if f.name == "email" else marker
                try:  # one field at a time: a field a database rule keeps empty stays empty
                    with transaction.atomic():
                        model.objects.filter(pk=row.pk).update(**{f.name: value})
                except IntegrityError:
                    continue
                marked.markers[marker] = f"{label}.{f.name}"
    mother = Parent.objects.get(family=family, role="mother")
    for contact in group_contacts:
        Contact.objects.filter(pk=contact.pk).update(
            notes=f"{contact.notes} {mother.given_name} asked about sleep."
        )
    return marked
