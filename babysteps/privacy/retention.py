"""The retention schedule, applied: each record class past its period is anonymised or
deleted, legal holds and open referrals respected, and what was done (or, in a dry run,
would be done) is counted by class.

The periods are data (``RetentionRule``, seeded with defaults the organisation confirms:
docs/data-protection.md). ``apply_retention`` runs daily from the periodic jobs.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import CharField, DateTimeField, Max, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Concat, Greatest

from babysteps.alerts.models import Alert
from babysteps.audit.models import Action, AuditEvent
from babysteps.audit.services import audit_purge, audit_record
from babysteps.campaigns.models import Signature
from babysteps.families.models import Family
from babysteps.licensing.models import Enquiry
from babysteps.measures.models import Administration
from babysteps.notifications.models import Message
from babysteps.portal.models import SignInChallenge
from babysteps.privacy.erasure import ERASED, REFERRAL_TEXT, anonymise_family, overwrite_text
from babysteps.privacy.holds import held_family_ids
from babysteps.privacy.models import RecordClass, RetentionRule
from babysteps.safeguarding.models import SafeAndWellReferral

CHUNK = 200
ERASED_SIGNER = "erased:"  # + the signature's id: unique, and no one's address


@dataclass
class ClassReport:
    due: int = 0  # past the period
    held: int = 0  # past it, but held
    done: int = 0  # anonymised or deleted (0 in a dry run)


@dataclass
class RetentionReport:
    dry_run: bool
    classes: dict[str, ClassReport] = field(default_factory=dict)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: vars(report) for name, report in self.classes.items()}


def periods() -> dict[str, timedelta]:
    return {
        rule.record_class: timedelta(days=rule.period_days) for rule in RetentionRule.objects.all()
    }


def families_past(cutoff: datetime) -> QuerySet[Family]:
    """Families not yet anonymised whose last contact with the programme (or, with none,
    their record's creation) is before ``cutoff``."""
    last_contact = Greatest(
        Coalesce(Max("attendances__contact__starts_at"), "created_at"),
        "created_at",
        output_field=DateTimeField(),
    )
    return (
        Family.objects.filter(anonymised_at__isnull=True)
        .annotate(last_contact=last_contact)
        .filter(last_contact__lt=cutoff)
    )


def _family_records(
    report: ClassReport, cutoff: datetime, held: QuerySet, *, dry_run: bool, now: datetime
) -> None:
    due = families_past(cutoff)
    report.due = due.count()
    eligible = due.exclude(pk__in=held)
    report.held = report.due - eligible.count()
    if dry_run:
        return
    ids = list(eligible.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            for family in Family.objects.filter(pk__in=ids[start : start + CHUNK]):
                counts = anonymise_family(family, now=now).counts
                audit_record(
                    actor=None,
                    action=Action.ERASE,
                    object_type="family",
                    object_id=family.pk,
                    family_id=family.pk,
                    site_id=family.site_id,
                    reason="retention: family records past their period",
                    detail={"counts": counts},
                )
                report.done += 1


def _questionnaires(
    report: ClassReport, cutoff: datetime, held: QuerySet, *, dry_run: bool
) -> None:
    """Questionnaires kept, pseudonymised, for the evaluation after their family's record
    was anonymised: deleted at the end of the evaluation's period."""
    due = Administration.objects.filter(
        family__anonymised_at__isnull=False, administered_on__lt=cutoff.date()
    )
    behind_referrals = Alert.objects.filter(
        pk__in=SafeAndWellReferral.objects.values("alert_id")
    ).values("administration_id")
    report.due = due.count()
    eligible = due.exclude(family_id__in=held).exclude(pk__in=behind_referrals)
    report.held = report.due - eligible.count()
    if not dry_run:
        report.done = eligible.delete()[1].get("measures.Administration", 0)


def _safeguarding(report: ClassReport, cutoff: datetime, held: QuerySet, *, dry_run: bool) -> None:
    due = (
        SafeAndWellReferral.objects.exclude(status__in=SafeAndWellReferral.OPEN_STATUSES)
        .filter(updated_at__lt=cutoff)
        .exclude(summary=ERASED)
    )
    report.due = due.count()
    legal = held_family_ids()  # legal holds and open referrals only: this is the period
    eligible = due.exclude(family_id__in=legal)
    report.held = report.due - eligible.count()
    if not dry_run:
        with transaction.atomic():
            ids = list(eligible.values_list("pk", flat=True))
            chosen = SafeAndWellReferral.objects.filter(pk__in=ids)
            overwrite_text(chosen, REFERRAL_TEXT)
            chosen.update(safe_number="", safe_call_from=None, safe_call_to=None)
            report.done = len(ids)


def _deleted(
    report: ClassReport, queryset: QuerySet, family_field: str, held: QuerySet, *, dry_run: bool
) -> None:
    report.due = queryset.count()
    eligible = queryset.exclude(**{f"{family_field}__in": held})
    report.held = report.due - eligible.count()
    if not dry_run:
        report.done = eligible.delete()[0]


def _audit_events(report: ClassReport, cutoff: datetime, *, dry_run: bool) -> None:
    report.due = AuditEvent.objects.filter(at__lt=cutoff).count()
    if not dry_run and report.due:
        report.done = audit_purge(before=cutoff, reason="retention: audit events past their period")


def _petition_signers(report: ClassReport, cutoff: datetime, *, dry_run: bool) -> None:
    """Signers of campaigns closed before the cutoff: who they were is erased, the
    signature (and so the count) stays."""
    due = Signature.objects.filter(
        campaign__closes_on__lt=cutoff.date(), status=Signature.Status.CONFIRMED
    ).exclude(email__startswith=ERASED_SIGNER)
    report.due = due.count()
    if not dry_run:
        report.done = due.update(
            name="",
            postcode="",
            email=Concat(Value(ERASED_SIGNER), Cast("pk", CharField())),
        )


def _public_records(
    record_class: str, result: ClassReport, cutoff: datetime, *, dry_run: bool
) -> None:
    """Records of people outside the programme: petition signers and licence enquirers."""
    if record_class == RecordClass.PETITION_UNCONFIRMED:
        unconfirmed = Signature.objects.filter(
            status=Signature.Status.PENDING, created_at__lt=cutoff
        )
        result.due = unconfirmed.count()
        if not dry_run:
            result.done = unconfirmed.delete()[0]
    elif record_class == RecordClass.PETITION_SIGNATURES:
        _petition_signers(result, cutoff, dry_run=dry_run)
    elif record_class == RecordClass.ENQUIRY_UNCONFIRMED:
        stale = Enquiry.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
        result.due = stale.count()
        if not dry_run:
            result.done = stale.delete()[0]
    elif record_class == RecordClass.ENQUIRY_CONTACTS:
        old = Enquiry.objects.filter(created_at__lt=cutoff).exclude(contact_name="")
        result.due = old.count()
        if not dry_run:
            result.done = old.update(
                contact_name="", contact_email="erased@invalid", contact_phone=""
            )


def apply_retention(*, now: datetime, dry_run: bool) -> RetentionReport:
    rules = periods()
    report = RetentionReport(dry_run=dry_run)
    if RecordClass.SAFEGUARDING in rules:
        held = held_family_ids(safeguarding_kept_after=now - rules[RecordClass.SAFEGUARDING])
    else:
        held = held_family_ids()
    for record_class, period in rules.items():
        cutoff = now - period
        result = report.classes.setdefault(record_class, ClassReport())
        if record_class == RecordClass.FAMILY_RECORDS:
            _family_records(result, cutoff, held, dry_run=dry_run, now=now)
        elif record_class == RecordClass.QUESTIONNAIRES:
            _questionnaires(result, cutoff, held, dry_run=dry_run)
        elif record_class == RecordClass.SAFEGUARDING:
            _safeguarding(result, cutoff, held, dry_run=dry_run)
        elif record_class == RecordClass.MESSAGES:
            messages = Message.objects.filter(created_at__lt=cutoff)
            held_messages = Q(family_id__in=held) | Q(parent__family_id__in=held)
            result.due = messages.count()
            eligible = messages.exclude(held_messages)
            result.held = result.due - eligible.count()
            if not dry_run:
                result.done = eligible.delete()[0]
        elif record_class == RecordClass.PORTAL_SIGN_IN:
            _deleted(
                result,
                SignInChallenge.objects.filter(created_at__lt=cutoff),
                "parent__family_id",
                held,
                dry_run=dry_run,
            )
        elif record_class == RecordClass.AUDIT_EVENTS:
            _audit_events(result, cutoff, dry_run=dry_run)
        else:
            _public_records(record_class, result, cutoff, dry_run=dry_run)
    return report
