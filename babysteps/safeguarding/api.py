"""Safe-and-well referrals in the JSON API, under /api/v1/referrals. Same scope, checks
and audit as the pages: a site sees its own referrals (with the family's id), the NSPCC
team its queue (the check view: first names, never the family's record).

Every operation on one referral has a GET beside it, so each path answers a read."""

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from babysteps.accounts.models import User
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.alerts.access import alert_for_user
from babysteps.api.common import page_of, responses
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.families.access import families_for_user
from babysteps.safeguarding import selectors, services
from babysteps.safeguarding.access import (
    can_see_referral_audit,
    can_signpost,
    referral_for_change,
    referral_for_user,
    referrals_for_user,
)
from babysteps.safeguarding.models import ReferralReason
from babysteps.safeguarding.schemas import (
    AuditPage,
    CallIn,
    CallOut,
    HolderIn,
    HolderOut,
    OutcomeIn,
    OutcomeOut,
    ReasonOut,
    ReferralIn,
    ReferralOut,
    ReferralPage,
    StatusIn,
    WithdrawalIn,
    WithdrawalOut,
)

router = Router()


def _out(view: selectors.ReferralView) -> dict[str, object]:
    data = dataclasses.asdict(view)
    data["family"] = data.pop("family_id")
    data["alert"] = data.pop("alert_id")
    return data


def _item(row: selectors.ReferralRow) -> dict[str, object]:
    return {
        "id": row.id,
        "status": row.status,
        "overdue": row.overdue,
        "urgency": row.urgency,
        "site_name": row.site_name,
        "reasons": row.reasons,
        "referred_at": row.referred_at,
        "due_by": row.due_by,
        "with_consent": row.with_consent,
        "interpreter_needed": row.interpreter_needed,
        "claimed_by": row.claimed_by,
        "call_attempts": row.attempts,
        "outcome": row.outcome,
        "outcome_label": row.outcome_label,
        "family": row.family_id,
        "family_name": row.family_name,
    }


def _view(
    request: AuthenticatedHttpRequest,
    referral_id: int,
    *,
    action: str = Action.VIEW,
    reason: str = "",
) -> selectors.ReferralView:
    """What the user may see of the referral (a VIEW is audited once, with the reason)."""
    referral = referral_for_user(request.user, referral_id, action=action, reason=reason)
    return selectors.referral_view_for(user=request.user, referral=referral)


# --- Collection --------------------------------------------------------------------------


@router.get(
    "/reasons",
    response=responses(200, list[ReasonOut]),
    summary="The reasons a family can be signposted for",
)
def list_reasons(request: AuthenticatedHttpRequest) -> list[ReferralReason]:
    return list(ReferralReason.objects.filter(active=True))


@router.get("", response=responses(200, ReferralPage), summary="List the referrals you can see")
def list_referrals(
    request: AuthenticatedHttpRequest,
    status: StatusIn | None = Query(None, description="Only referrals in this state"),  # noqa: B008
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(25, ge=1, le=100),
) -> dict[str, object]:
    """Sites: their own referrals (newest first). NSPCC team: the queue (soonest due
    first), in the check view."""
    user = request.user
    referrals = referrals_for_user(user)
    if status:
        referrals = referrals.filter(status=status)
    site_lens = roles_for(user).sees_family_records
    if site_lens:
        mine = referrals.filter(family__in=families_for_user(user))
        chosen = selectors.for_lists(mine, site_lens=True).order_by("-referred_at", "-pk")
    else:
        chosen = selectors.for_lists(referrals, site_lens=False).order_by("due_by", "pk")
    count, rows = page_of(chosen, page=page, page_size=page_size)
    items = [selectors.referral_row(r, site_lens=site_lens) for r in rows]
    audit_record(
        actor=user,
        action=Action.LIST,
        object_type="referral",
        reason="API list",
        detail={"referral_ids": [r.id for r in items]},
    )
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "items": [_item(r) for r in items],
    }


@router.post(
    "",
    response=responses(201, ReferralOut, extra=(403,)),
    summary="Signpost a family to the NSPCC safe-and-well check",
)
def create_referral(request: AuthenticatedHttpRequest, payload: ReferralIn) -> Status:
    family = families_for_user(request.user).filter(pk=payload.family).first()
    if family is None:
        raise ValidationError({"family": _("Unknown family.")})
    if not can_signpost(request.user, family):
        raise PermissionDenied(_("Facilitators and managers of the family's site signpost."))
    parents = [p for p in family.parents.all() if p.role in set(payload.parents)]
    if len(parents) != len(set(payload.parents)):
        raise ValidationError({"parents": _("This family has no parent in that role.")})
    reasons = list(ReferralReason.objects.filter(code__in=payload.reasons))
    if len(reasons) != len(set(payload.reasons)):
        raise ValidationError({"reasons": _("Unknown reason code (see /referrals/reasons).")})
    alert = None
    if payload.alert is not None:
        try:
            alert = alert_for_user(request.user, payload.alert, action=Action.CHANGE)
        except Http404:
            # Unknown and out of scope read the same: nothing about another site leaks.
            raise ValidationError({"alert": _("Unknown alert.")}) from None
    values = payload.dict(exclude={"family", "parents", "reasons", "alert", "source"})
    referral = services.referral_create(
        family=family,
        referred_by=request.user,
        parents=parents,
        reasons=reasons,
        alert=alert,
        source=payload.source or "",
        **values,
    )
    # The response is part of the write (audited as CREATE), not a separate read.
    return Status(201, _out(_view(request, referral.pk, action=Action.CHANGE)))


# --- One referral ------------------------------------------------------------------------


@router.get(
    "/{referral_id}",
    response=responses(200, ReferralOut, extra=(404,)),
    summary="One referral (the site's view, or the NSPCC check view)",
)
def get_referral(request: AuthenticatedHttpRequest, referral_id: int) -> dict[str, object]:
    return _out(_view(request, referral_id, reason="API referral"))


def _holder(view: selectors.ReferralView) -> dict[str, object]:
    return {"status": view.status, "claimed_by": view.claimed_by, "claimed_at": view.claimed_at}


@router.get(
    "/{referral_id}/holder",
    response=responses(200, HolderOut, extra=(404,)),
    summary="Who holds the referral",
)
def get_holder(request: AuthenticatedHttpRequest, referral_id: int) -> dict[str, object]:
    return _holder(_view(request, referral_id, reason="API holder"))


@router.post(
    "/{referral_id}/holder",
    response=responses(200, HolderOut, extra=(403, 404)),
    summary="Claim the referral (or, as team lead, give it to a team member)",
)
def set_holder(
    request: AuthenticatedHttpRequest, referral_id: int, payload: HolderIn
) -> dict[str, object]:
    user = request.user
    if payload.user is None:
        referral = referral_for_change(user, referral_id, "claim")
        services.referral_claim(referral=referral, user=user)
    else:
        referral = referral_for_change(user, referral_id, "assign")
        to = User.objects.filter(pk=payload.user, is_active=True).first()
        if to is None:
            raise ValidationError({"user": _("Choose a member of the safe-and-well team.")})
        services.referral_assign(referral=referral, to=to, assigned_by=user)
    return _holder(_view(request, referral_id, action=Action.CHANGE))


@router.get(
    "/{referral_id}/calls",
    response=responses(200, list[CallOut], extra=(404,)),
    summary="The call attempts logged",
)
def list_calls(request: AuthenticatedHttpRequest, referral_id: int) -> list[dict[str, object]]:
    view = _view(request, referral_id, reason="API calls")
    return [dataclasses.asdict(c) for c in view.calls]


@router.post(
    "/{referral_id}/calls",
    response=responses(201, CallOut, extra=(403, 404)),
    summary="Log a call attempt (the practitioner holding the referral)",
)
def create_call(request: AuthenticatedHttpRequest, referral_id: int, payload: CallIn) -> Status:
    referral = referral_for_change(request.user, referral_id, "log_call")
    attempt = services.call_attempt_record(
        referral=referral,
        made_by=request.user,
        at=payload.at or timezone.now(),
        outcome=payload.outcome or "",
        voicemail_left=payload.voicemail_left,
        note=payload.note,
    )
    view = _view(request, referral_id, action=Action.CHANGE)
    row = next(c for c in view.calls if c.at == attempt.at and c.outcome == attempt.outcome)
    return Status(201, dataclasses.asdict(row))


def _fields(view: selectors.ReferralView, schema: type[Schema]) -> dict[str, object]:
    """The view's values for the fields of an output schema."""
    return {f: getattr(view, f) for f in schema.model_fields}


@router.get(
    "/{referral_id}/outcome",
    response=responses(200, OutcomeOut, extra=(404,)),
    summary="The outcome (empty until the referral is closed)",
)
def get_outcome(request: AuthenticatedHttpRequest, referral_id: int) -> dict[str, object]:
    return _fields(_view(request, referral_id, reason="API outcome"), OutcomeOut)


@router.post(
    "/{referral_id}/outcome",
    response=responses(200, OutcomeOut, extra=(403, 404)),
    summary="Record the outcome and close the referral",
)
def set_outcome(
    request: AuthenticatedHttpRequest, referral_id: int, payload: OutcomeIn
) -> dict[str, object]:
    referral = referral_for_change(request.user, referral_id, "close")
    values = payload.dict()
    values["outcome"] = values["outcome"] or ""
    services.referral_close(referral=referral, closed_by=request.user, **values)
    return _fields(_view(request, referral_id, action=Action.CHANGE), OutcomeOut)


@router.get(
    "/{referral_id}/withdrawal",
    response=responses(200, WithdrawalOut, extra=(404,)),
    summary="Whether, when and why the site withdrew the referral",
)
def get_withdrawal(request: AuthenticatedHttpRequest, referral_id: int) -> dict[str, object]:
    return _fields(_view(request, referral_id, reason="API withdrawal"), WithdrawalOut)


@router.post(
    "/{referral_id}/withdrawal",
    response=responses(200, WithdrawalOut, extra=(403, 404)),
    summary="Withdraw the referral (the referring site); it is kept, never deleted",
)
def withdraw(
    request: AuthenticatedHttpRequest, referral_id: int, payload: WithdrawalIn
) -> dict[str, object]:
    referral = referral_for_change(request.user, referral_id, "withdraw")
    services.referral_withdraw(referral=referral, withdrawn_by=request.user, reason=payload.reason)
    return _fields(_view(request, referral_id, action=Action.CHANGE), WithdrawalOut)


@router.get(
    "/{referral_id}/audit",
    response=responses(200, AuditPage, extra=(403, 404)),
    summary="Who has seen or changed the referral (site managers, NSPCC admins, team lead)",
)
def get_audit(
    request: AuthenticatedHttpRequest,
    referral_id: int,
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, object]:
    referral = referral_for_user(request.user, referral_id, reason="API audit trail")
    if not can_see_referral_audit(request.user, referral):
        raise PermissionDenied(_("Only managers, NSPCC admins and the team lead see this."))
    events = selectors.referral_audit_events(referral_id=referral.pk)
    count, rows = page_of(events, page=page, page_size=page_size)
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "items": [
            {
                "at": e.at,
                "actor": e.actor.full_name if e.actor else e.actor_label,
                "action": e.action,
                "channel": e.channel,
                "reason": e.reason,
                "fields": e.detail.get("fields", []),
            }
            for e in rows
        ],
    }
