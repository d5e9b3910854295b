"""Erasing a family: every piece of its personal data, everywhere the platform keeps it,
is removed or irreversibly overwritten. What remains is anonymous (the family, its parents
and its contacts stay as empty shells, so counts in reports do not change), plus the
questionnaires of a family that consented to the evaluation (pseudonymised: the family
has no name or identifier left), and the audit trail, which names no one.

Free text that must stay non-empty (a database rule asks for a reason on a closed record)
becomes ``[erased]``. A group session's notes are shared with other families: the erased
family's names are cut out of them, the rest stays.

The list of what is touched is checked against the models (``inventory.py`` and its test):
a new model that holds a family's data cannot be forgotten here.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Case, CharField, Count, QuerySet, Value, When
from django.utils import timezone

from babysteps.alerts.models import Alert
from babysteps.bookings.models import CallBooking, PlannedCall
from babysteps.cohorts.models import Enrolment
from babysteps.delivery.models import Contact, FollowUpTask
from babysteps.families.models import Baby, Consent, Family, Parent
from babysteps.measures.models import Administration
from babysteps.notifications.models import Message
from babysteps.portal.models import ParentQuestion, PortalProfile, SignInChallenge
from babysteps.safeguarding.models import CallAttempt, ImmediateRiskAction, SafeAndWellReferral

ERASED = "[erased]"
# A referral's free text (the retention job erases the same fields).
REFERRAL_TEXT = [
    "summary",
    "source_reference",
    "consent_given_by",
    "no_consent_reason",
    "safe_times_notes",
    "onward_service",
    "onward_reference",
    "outcome_notes",
    "note_for_site",
    "withdrawal_reason",
]


@dataclass
class ErasureReport:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        if count:
            self.counts[name] = self.counts.get(name, 0) + count


def overwrite_text(queryset: QuerySet, fields: list[str]) -> int:
    """Free text: "" stays "", anything else becomes ``[erased]`` (one UPDATE)."""
    values = {
        name: Case(
            When(**{name: ""}, then=Value("")), default=Value(ERASED), output_field=CharField()
        )
        for name in fields
    }
    return queryset.update(**values)


def _names_pattern(parents: list[Parent]) -> re.Pattern[str] | None:
    words = {
        word
        for parent in parents
        for word in (parent.full_name, parent.given_name, parent.family_name)
        if len(word.strip()) >= 2
    }
    if not words:
        return None
    alternatives = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def has_evaluation_consent(family: Family) -> bool:
    latest = (
        Consent.objects.filter(family=family, kind=Consent.Kind.EVALUATION)
        .order_by("-decided_on", "-recorded_at")
        .values_list("given", flat=True)
        .first()
    )
    return bool(latest)


@transaction.atomic
def anonymise_family(family: Family, *, now: datetime | None = None) -> ErasureReport:
    """Remove every piece of the family's personal data. Callers check holds and audit."""
    now = now or timezone.now()
    report = ErasureReport()
    family = Family.objects.select_for_update().get(pk=family.pk)
    parents = list(Parent.objects.filter(family=family))
    names = _names_pattern(parents)

    # Shared notes first, while the names are still known.
    group_contacts = Contact.objects.filter(attendances__family=family).annotate(
        families=Count("attendances")
    )
    for contact in group_contacts.filter(families__gt=1).exclude(notes=""):
        if names is not None and names.search(contact.notes):
            Contact.objects.filter(pk=contact.pk).update(notes=names.sub(ERASED, contact.notes))
            report.add("group session notes (names cut out)", 1)
    own_contacts = Contact.objects.filter(pk__in=group_contacts.filter(families=1).values("pk"))
    report.add("contact notes", overwrite_text(own_contacts.exclude(notes=""), ["notes"]))
    # A language can say where someone comes from (as on the family record).
    own_contacts.exclude(interpreter_language="").update(interpreter_language="")
    CallBooking.objects.filter(family=family).exclude(interpreter_language="").update(
        interpreter_language=""
    )

    report.add(
        "family record",
        Family.objects.filter(pk=family.pk).update(
            identifier="",
            postcode="",
            safe_call_notes="",
            safe_call_from=None,
            safe_call_to=None,
            preferred_language="",  # a language can say where someone comes from
            interpreter_needed=False,
            weekly_tips_opt_in=False,
            anonymised_at=now,
        ),
    )
    report.add(
        "parents",
        Parent.objects.filter(family=family).update(
            given_name="", family_name="", email="", mobile="", language=""
        ),
    )
    for baby in Baby.objects.filter(family=family):
        baby.given_name = ""
        baby.date_of_birth = baby.date_of_birth.replace(day=1)  # the month, for age bands
        baby.save(update_fields=["given_name", "date_of_birth"])
        report.add("babies", 1)
    report.add(
        "enrolments", overwrite_text(Enrolment.objects.filter(family=family), ["withdrawal_reason"])
    )
    report.add(
        "follow-up calls",
        overwrite_text(FollowUpTask.objects.filter(family=family), ["closed_reason"]),
    )
    report.add(
        "planned calls",
        overwrite_text(PlannedCall.objects.filter(family=family), ["status_reason"]),
    )
    report.add(
        "call bookings",
        overwrite_text(CallBooking.objects.filter(family=family), ["status_reason"]),
    )
    report.add(
        "messages",
        Message.objects.filter(family=family).update(
            to="", subject=ERASED, body="", status_reason="", attachments=[]
        )
        + Message.objects.filter(parent__family=family, family__isnull=True).update(
            to="", subject=ERASED, body="", attachments=[]
        ),
    )
    report.add(
        "portal questions", overwrite_text(ParentQuestion.objects.filter(family=family), ["text"])
    )
    report.add(
        "portal sign-in records",
        SignInChallenge.objects.filter(parent__family=family).delete()[0],
    )
    report.add("portal profiles", PortalProfile.objects.filter(parent__family=family).delete()[0])

    referrals = SafeAndWellReferral.objects.filter(family=family)
    report.add(
        "safe-and-well referrals",
        overwrite_text(referrals, REFERRAL_TEXT),
    )
    referrals.update(safe_number="", safe_call_from=None, safe_call_to=None)
    report.add(
        "referral call notes",
        overwrite_text(
            CallAttempt.objects.filter(referral__family=family),
            ["note", "outside_safe_times_reason"],
        ),
    )
    report.add(
        "immediate-risk records",
        overwrite_text(ImmediateRiskAction.objects.filter(family=family), ["reference", "note"]),
    )
    report.add(
        "alerts", overwrite_text(Alert.objects.filter(family=family), ["detail", "action_taken"])
    )
    report.add("questionnaires", _questionnaires(family))
    # Registers (who came: mother, partner), video releases and watch data, and the audit
    # trail hold no names or free text: they stay, anonymous now, for the counts.
    return report


def _questionnaires(family: Family) -> int:
    """Kept, pseudonymised, for the evaluation if the family consented; otherwise deleted,
    except those behind a safety alert that a referral was made from (the referral's
    context): their item answers go, the score stays."""
    administrations = Administration.objects.filter(family=family)
    # Why one was voided is free text about the family: it goes whatever else stays.
    overwrite_text(administrations.exclude(void_reason=""), ["void_reason"])
    if has_evaluation_consent(family):
        return 0
    behind_referrals = administrations.filter(
        pk__in=Alert.objects.filter(
            family=family, pk__in=SafeAndWellReferral.objects.values("alert_id")
        ).values("administration_id")
    )
    stripped = behind_referrals.update(answers={}, item_scores={}, subscales={})
    deleted, _ = administrations.exclude(pk__in=behind_referrals.values("pk")).delete()
    return stripped + deleted
