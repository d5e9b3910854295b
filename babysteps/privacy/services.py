"""Data-protection writes: subject-access exports, legal holds, erasure (asked for by one
person, approved by another, or run by the command) and retention settings. Every one is
an audit event that names ids and reasons, never the personal data."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.families.models import Family, Parent
from babysteps.privacy import subject_access
from babysteps.privacy.erasure import ErasureReport, anonymise_family
from babysteps.privacy.holds import holds_on
from babysteps.privacy.models import ErasureRequest, LegalHold, RetentionRun
from babysteps.privacy.retention import RetentionReport, apply_retention

MAX_REASON = 200


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why (no names or other personal data).")})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {
                "reason": _("Keep the reason to %(MAX_REASON)s characters.")
                % {"MAX_REASON": MAX_REASON}
            }
        )
    return reason


def subject_access_export(
    *,
    family: Family,
    parent_role: str | None = None,
    actor: User | None,
    actor_label: str = "",
) -> bytes:
    """The ZIP for a family (or one parent); audited as an export."""
    if parent_role is not None:
        roles = set(Parent.objects.filter(family=family).values_list("role", flat=True))
        if parent_role not in roles:
            raise ValidationError(
                {
                    "parent": _("This family has no %(parent_role)s recorded.")
                    % {"parent_role": parent_role}
                }
            )
    content = subject_access.as_zip(subject_access.build(family, parent_role=parent_role))
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=Action.EXPORT,
        object_type="family",
        object_id=family.pk,
        family_id=family.pk,
        site_id=family.site_id,
        reason="subject access",
        detail={"scope": parent_role or "family"},
    )
    return content


def _refuse_if_held(family: Family) -> None:
    holds = holds_on(family)
    if holds:
        raise ValidationError(
            "This family's records cannot be erased while they are held: "
            + "; ".join(h.description for h in holds)
            + ".",
            code="held",
        )


def _refuse_if_erased(family: Family) -> None:
    if family.anonymised_at is not None:
        raise ValidationError(_("This family's records have already been erased."), code="erased")


@transaction.atomic
def legal_hold_place(*, family: Family, reason: str, placed_by: User) -> LegalHold:
    _refuse_if_erased(family)
    hold = LegalHold.objects.create(
        family=family, reason=_reason(reason), placed_by=placed_by, placed_at=timezone.now()
    )
    audit_record(
        actor=placed_by,
        action=Action.HOLD,
        object_type="legalhold",
        object_id=hold.pk,
        family_id=family.pk,
        site_id=family.site_id,
        reason=hold.reason,
    )
    return hold


@transaction.atomic
def legal_hold_release(*, hold: LegalHold, released_by: User) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        raise ValidationError(_("This hold has already been released."))
    hold.released_by, hold.released_at = released_by, timezone.now()
    hold.save(update_fields=["released_by", "released_at"])
    audit_record(
        actor=released_by,
        action=Action.CHANGE,
        object_type="legalhold",
        object_id=hold.pk,
        family_id=hold.family_id,
        detail={"released": True},
    )
    return hold


@transaction.atomic
def erasure_request(*, family: Family, reason: str, requested_by: User) -> ErasureRequest:
    """The first of the two people: asks for the family to be erased."""
    reason = _reason(reason)
    family = Family.objects.select_for_update().get(pk=family.pk)
    _refuse_if_erased(family)
    _refuse_if_held(family)
    if ErasureRequest.objects.filter(
        family=family, status=ErasureRequest.Status.REQUESTED
    ).exists():
        raise ValidationError(_("An erasure of this family is already waiting for approval."))
    request = ErasureRequest.objects.create(
        family=family, reason=reason, requested_by=requested_by, requested_at=timezone.now()
    )
    audit_record(
        actor=requested_by,
        action=Action.CREATE,
        object_type="erasurerequest",
        object_id=request.pk,
        family_id=family.pk,
        site_id=family.site_id,
        reason=reason,
    )
    return request


@transaction.atomic
def erasure_cancel(*, request: ErasureRequest, cancelled_by: User) -> ErasureRequest:
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ErasureRequest.Status.REQUESTED:
        raise ValidationError(_("Only a request still waiting for approval can be cancelled."))
    request.status = ErasureRequest.Status.CANCELLED
    request.decided_by, request.decided_at = cancelled_by, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=cancelled_by,
        action=Action.CHANGE,
        object_type="erasurerequest",
        object_id=request.pk,
        family_id=request.family_id,
        detail={"status": request.status},
    )
    return request


def _erase(
    *, family: Family, reason: str, actor: User | None, actor_label: str, detail: dict[str, Any]
) -> ErasureReport:
    report = anonymise_family(family)
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=Action.ERASE,
        object_type="family",
        object_id=family.pk,
        family_id=family.pk,
        site_id=family.site_id,
        reason=reason,
        detail={**detail, "counts": report.counts},
    )
    return report


@transaction.atomic
def erasure_approve(*, request: ErasureRequest, approved_by: User) -> ErasureReport:
    """The second person (an NSPCC admin, not the one who asked) approves: the family's
    personal data is erased at once, unless a hold has appeared since."""
    request = ErasureRequest.objects.select_for_update().select_related("family").get(pk=request.pk)
    if request.status != ErasureRequest.Status.REQUESTED:
        raise ValidationError(_("This request is no longer waiting for approval."))
    if request.requested_by_id == approved_by.pk:
        raise ValidationError(
            _("Erasure needs two people: someone other than the person who asked must approve it.")
        )
    family = Family.objects.select_for_update().get(pk=request.family_id)
    _refuse_if_erased(family)
    _refuse_if_held(family)
    report = _erase(
        family=family,
        reason=request.reason,
        actor=approved_by,
        actor_label="",
        detail={"request_id": request.pk, "requested_by": request.requested_by_id},
    )
    request.status = ErasureRequest.Status.DONE
    request.decided_by, request.decided_at = approved_by, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    return report


@transaction.atomic
def erase_family_now(*, family: Family, reason: str, actor_label: str) -> ErasureReport:
    """``manage.py erase_family``: the operator running the command is the second person
    (recorded by their login on the server)."""
    reason = _reason(reason)
    family = Family.objects.select_for_update().get(pk=family.pk)
    _refuse_if_erased(family)
    _refuse_if_held(family)
    ErasureRequest.objects.filter(family=family, status=ErasureRequest.Status.REQUESTED).update(
        status=ErasureRequest.Status.DONE, decided_at=timezone.now()
    )
    return _erase(family=family, reason=reason, actor=None, actor_label=actor_label, detail={})


def retention_run(*, now: Any, dry_run: bool, channel: str) -> RetentionReport:
    """Apply the retention schedule (or count what it would do) and record the run."""
    report = apply_retention(now=now, dry_run=dry_run)
    RetentionRun.objects.create(
        started_at=now, dry_run=dry_run, report=report.as_dict(), channel=channel
    )
    if not dry_run:
        audit_record(
            actor=None,
            action=Action.DELETE,
            object_type="retention",
            reason="retention schedule applied",
            detail={"classes": report.as_dict()},
        )
    return report
