# Over 400 lines: both lenses of a referral are built here, read side by side.
"""Reads of referrals. Scope (who may see which referral) comes from the access chokepoints
(``babysteps.safeguarding.access``); these functions load and shape an already-scoped queryset.
What a person sees of a referral is a ``ReferralView``, never the model, so a template
or API schema cannot wander from the referral into the family's record. The NSPCC team
gets the *check lens*: what the call needs (first names, the safe number and times,
language, reasons, summary, consent) and nothing else of the family. The referring site
(and NSPCC admins) get the *site lens*, which adds the family's id and full names.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from babysteps.accounts.models import User
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import AuditEvent
from babysteps.core.phones import display as display_phone
from babysteps.families.models import Parent
from babysteps.safeguarding.access import referral_sees_family
from babysteps.safeguarding.models import (
    CallAttempt,
    Escalation,
    ImmediateRiskAction,
    SafeAndWellReferral,
)

Status = SafeAndWellReferral.Status
RECENT_DAYS = 30


@dataclass(frozen=True)
class ParentRow:
    role: str
    role_label: str
    name: str  # the first name only, in the check lens


@dataclass(frozen=True)
class CallRow:
    at: datetime
    outcome: str
    outcome_label: str
    reached: bool
    voicemail_left: bool
    against_wishes: bool  # a voicemail although the family asked for none (older records)
    note: str
    made_by: str
    outside_safe_times_reason: str = ""


@dataclass(frozen=True)
class EscalationRow:
    stage: str
    stage_label: str
    at: datetime
    notified: list[str]


@dataclass(frozen=True)
class ReferralView:
    id: int
    status: str
    status_label: str
    is_open: bool
    overdue: bool
    urgency: str
    urgency_label: str
    source: str
    source_label: str
    source_reference: str
    site_name: str
    referred_at: datetime
    referred_by: str
    due_by: datetime
    parents: list[ParentRow]
    reasons: list[str]
    summary: str
    consent_basis: str
    consent_basis_label: str
    with_consent: bool
    consent_given_by_label: str
    consent_given_on: date | None
    consent_method_label: str
    no_consent_reason: str
    safe_number: str
    safe_call_from: time | None
    safe_call_to: time | None
    safe_times_notes: str
    voicemail_ok: bool
    language: str
    interpreter_needed: bool
    claimed_by_id: int | None
    claimed_by: str
    claimed_at: datetime | None
    calls: list[CallRow]
    escalations: list[EscalationRow]
    outcome: str
    outcome_label: str
    onward_to: str
    onward_service: str
    onward_reference: str
    outcome_notes: str
    note_for_site: str
    closed_at: datetime | None
    closed_by: str
    withdrawn_at: datetime | None
    withdrawn_by: str
    withdrawal_reason: str
    # The site lens only: None and "" in the check lens.
    family_id: int | None = None
    family_name: str = ""
    alert_id: int | None = None  # the safety alert it came from

    @property
    def attempts(self) -> int:
        return len(self.calls)


@dataclass(frozen=True)
class ReferralRow:
    """A line in a list of referrals (no free text, no family details in the check lens)."""

    id: int
    status: str
    status_label: str
    urgency: str
    urgency_label: str
    site_name: str
    reasons: list[str]
    referred_at: datetime
    due_by: datetime
    overdue: bool
    with_consent: bool
    interpreter_needed: bool
    claimed_by: str
    outcome: str
    outcome_label: str
    finished_at: datetime | None
    family_id: int | None = None
    family_name: str = ""
    attempts: int = 0
    note_for_site: str = ""


def _name(user: User | None) -> str:
    return user.full_name if user is not None else ""


def _with_family_name(
    referrals: QuerySet[SafeAndWellReferral],
) -> QuerySet[SafeAndWellReferral]:
    """The family and its mother, for the site lens's family name (never the check's)."""
    mothers = Parent.objects.filter(role=Parent.Role.MOTHER)
    return referrals.select_related("family").prefetch_related(
        Prefetch("family__parents", queryset=mothers)
    )


def with_details(
    referrals: QuerySet[SafeAndWellReferral], *, site_lens: bool
) -> QuerySet[SafeAndWellReferral]:
    """Everything a referral's page shows, in a fixed number of queries."""
    loaded = referrals.select_related(
        "site", "referred_by", "claimed_by", "closed_by", "withdrawn_by"
    ).prefetch_related(
        "parents",
        "reasons",
        Prefetch("call_attempts", queryset=CallAttempt.objects.select_related("made_by")),
        Prefetch("escalations", queryset=Escalation.objects.prefetch_related("notified")),
    )
    return _with_family_name(loaded) if site_lens else loaded


def referral_view(
    referral: SafeAndWellReferral, *, site_lens: bool, now: datetime | None = None
) -> ReferralView:
    """The referral as one lens shows it (load it with ``with_details``)."""
    moment = now or timezone.now()
    parents = list(referral.parents.all())
    roles = dict(Parent.Role.choices)
    calls = [
        CallRow(
            at=c.at,
            outcome=c.outcome,
            outcome_label=c.get_outcome_display(),
            reached=c.reached,
            voicemail_left=c.voicemail_left,
            against_wishes=c.voicemail_left and not referral.voicemail_ok,
            note=c.note,
            made_by=_name(c.made_by),
            outside_safe_times_reason=c.outside_safe_times_reason,
        )
        for c in referral.call_attempts.all()
    ]
    return ReferralView(
        id=referral.pk,
        status=referral.status,
        status_label=referral.get_status_display(),
        is_open=referral.is_open,
        overdue=referral.is_overdue(moment),
        urgency=referral.urgency,
        urgency_label=referral.get_urgency_display(),
        source=referral.source,
        source_label=referral.get_source_display(),
        source_reference=referral.source_reference,
        site_name=referral.site.name,
        referred_at=referral.referred_at,
        referred_by=_name(referral.referred_by),
        due_by=referral.due_by,
        parents=[
            ParentRow(
                role=p.role,
                role_label=p.get_role_display(),
                name=p.full_name if site_lens else p.given_name,
            )
            for p in parents
        ],
        reasons=[r.label for r in referral.reasons.all()],
        summary=referral.summary,
        consent_basis=referral.consent_basis,
        consent_basis_label=referral.get_consent_basis_display(),
        with_consent=referral.with_consent,
        consent_given_by_label=str(roles.get(referral.consent_given_by, "")),
        consent_given_on=referral.consent_given_on,
        consent_method_label=referral.get_consent_method_display(),
        no_consent_reason=referral.no_consent_reason,
        safe_number=display_phone(referral.safe_number),
        safe_call_from=referral.safe_call_from,
        safe_call_to=referral.safe_call_to,
        safe_times_notes=referral.safe_times_notes,
        voicemail_ok=referral.voicemail_ok,
        language=referral.language,
        interpreter_needed=referral.interpreter_needed,
        claimed_by_id=referral.claimed_by_id,
        claimed_by=_name(referral.claimed_by),
        claimed_at=referral.claimed_at,
        calls=calls,
        escalations=[
            EscalationRow(
                stage=e.stage,
                stage_label=e.get_stage_display(),
                at=e.at,
                notified=sorted(u.full_name for u in e.notified.all()),
            )
            for e in referral.escalations.all()
        ],
        outcome=referral.outcome,
        outcome_label=referral.outcome_display,
        onward_to=referral.onward_to,
        onward_service=referral.onward_service,
        onward_reference=referral.onward_reference,
        outcome_notes=referral.outcome_notes,
        note_for_site=referral.note_for_site,
        closed_at=referral.closed_at,
        closed_by=_name(referral.closed_by),
        withdrawn_at=referral.withdrawn_at,
        withdrawn_by=_name(referral.withdrawn_by),
        withdrawal_reason=referral.withdrawal_reason,
        family_id=referral.family_id if site_lens else None,
        family_name=referral.family.display_name if site_lens else "",
        alert_id=referral.alert_id if site_lens else None,
    )


def referral_view_for(*, user: User, referral: SafeAndWellReferral) -> ReferralView:
    """What this user may see of a referral they reached through ``referral_for_user``:
    the site lens for the referring side; for the NSPCC team the minimal check view of the
    family, never more, and the safe number only once they hold the referral."""
    site_lens = referral_sees_family(user, referral)
    loaded = with_details(
        SafeAndWellReferral.objects.filter(pk=referral.pk), site_lens=site_lens
    ).get()
    view = referral_view(loaded, site_lens=site_lens)
    if not site_lens and referral.claimed_by_id != user.pk:
        view = dataclasses.replace(view, safe_number="")
    roles = roles_for(user)
    if not (roles.is_admin or roles.works_referrals):
        # The NSPCC team's own notes stay with the NSPCC: the site reads its note instead.
        view = dataclasses.replace(view, outcome_notes="")
    return view


def for_lists(
    referrals: QuerySet[SafeAndWellReferral], *, site_lens: bool
) -> QuerySet[SafeAndWellReferral]:
    """A list's referrals with what ``referral_row`` needs, in fixed queries."""
    loaded = referrals.select_related("site", "claimed_by").prefetch_related("reasons")
    loaded = loaded.annotate(attempt_count=Count("call_attempts", distinct=True))
    return _with_family_name(loaded) if site_lens else loaded


def referral_row(
    referral: SafeAndWellReferral, *, site_lens: bool, now: datetime | None = None
) -> ReferralRow:
    moment = now or timezone.now()
    return ReferralRow(
        id=referral.pk,
        status=referral.status,
        status_label=referral.get_status_display(),
        urgency=referral.urgency,
        urgency_label=referral.get_urgency_display(),
        site_name=referral.site.name,
        reasons=[r.label for r in referral.reasons.all()],
        referred_at=referral.referred_at,
        due_by=referral.due_by,
        overdue=referral.is_overdue(moment),
        with_consent=referral.with_consent,
        interpreter_needed=referral.interpreter_needed,
        claimed_by=_name(referral.claimed_by),
        outcome=referral.outcome,
        outcome_label=referral.outcome_display,
        finished_at=referral.closed_at or referral.withdrawn_at,
        family_id=referral.family_id if site_lens else None,
        family_name=referral.family.display_name if site_lens else "",
        attempts=getattr(referral, "attempt_count", 0),
        note_for_site=referral.note_for_site if site_lens else "",
    )


# --- The NSPCC queue and the site's safeguarding view ------------------------------------

QUEUE_TABS = {
    "waiting": "Waiting to be claimed",
    "mine": "Held by you",
    "team": "Held by the team",
    "closed": "Closed recently",
}


def queue(
    *, referrals: QuerySet[SafeAndWellReferral], user: User, tab: str, now: datetime | None = None
) -> QuerySet[SafeAndWellReferral]:
    """One tab of the NSPCC queue, soonest due first (closed: most recent first)."""
    moment = now or timezone.now()
    if tab == "mine":
        chosen = referrals.filter(status=Status.CLAIMED, claimed_by=user)
    elif tab == "team":
        chosen = referrals.filter(status=Status.CLAIMED)
    elif tab == "closed":
        recent = moment - timedelta(days=RECENT_DAYS)
        chosen = referrals.filter(
            Q(status=Status.CLOSED, closed_at__gte=recent)
            | Q(status=Status.WITHDRAWN, withdrawn_at__gte=recent)
        )
        return for_lists(chosen, site_lens=False).order_by("-updated_at", "-pk")
    else:
        chosen = referrals.filter(status=Status.OPEN)
    return for_lists(chosen, site_lens=False).order_by("due_by", "pk")


def queue_counts(
    *, referrals: QuerySet[SafeAndWellReferral], user: User, now: datetime | None = None
) -> dict[str, int]:
    moment = now or timezone.now()
    open_ = Q(status__in=SafeAndWellReferral.OPEN_STATUSES)
    return referrals.aggregate(
        waiting=Count("pk", filter=Q(status=Status.OPEN)),
        mine=Count("pk", filter=Q(status=Status.CLAIMED, claimed_by=user)),
        team=Count("pk", filter=Q(status=Status.CLAIMED)),
        overdue=Count("pk", filter=open_ & Q(due_by__lt=moment)),
    )


def site_open_referrals(
    *, referrals: QuerySet[SafeAndWellReferral]
) -> QuerySet[SafeAndWellReferral]:
    """A site's open referrals, soonest due (so the overdue) first."""
    chosen = referrals.filter(status__in=SafeAndWellReferral.OPEN_STATUSES)
    return for_lists(chosen, site_lens=True).order_by("due_by", "pk")


def site_recent_referrals(
    *, referrals: QuerySet[SafeAndWellReferral], now: datetime | None = None
) -> QuerySet[SafeAndWellReferral]:
    moment = now or timezone.now()
    recent = moment - timedelta(days=RECENT_DAYS)
    chosen = referrals.filter(
        Q(status=Status.CLOSED, closed_at__gte=recent)
        | Q(status=Status.WITHDRAWN, withdrawn_at__gte=recent)
    )
    return for_lists(chosen, site_lens=True).order_by("-updated_at", "-pk")


@dataclass(frozen=True)
class FamilySafeguarding:
    """What the family page shows: its referrals' status and outcome, and any recorded
    immediate-risk action."""

    referral_rows: list[ReferralRow]
    actions: list[ImmediateRiskAction]

    @property
    def has_open(self) -> bool:
        return any(r.status in SafeAndWellReferral.OPEN_STATUSES for r in self.referral_rows)


def family_safeguarding(
    *, referrals: QuerySet[SafeAndWellReferral], family_id: int
) -> FamilySafeguarding:
    rows = for_lists(referrals.filter(family_id=family_id), site_lens=True).order_by(
        "-referred_at", "-pk"
    )
    actions = ImmediateRiskAction.objects.filter(family_id=family_id).select_related("recorded_by")
    return FamilySafeguarding(
        referral_rows=[referral_row(r, site_lens=True) for r in rows], actions=list(actions)
    )


def alert_referrals(*, referrals: QuerySet[SafeAndWellReferral]) -> list[ReferralRow]:
    """The referrals made from one alert (already scoped), newest first, as the alert's
    page shows them: status, holder, outcome."""
    rows = for_lists(referrals, site_lens=True).order_by("-referred_at", "-pk")
    return [referral_row(r, site_lens=True) for r in rows]


def referral_audit_events(*, referral_id: int) -> QuerySet[AuditEvent]:
    """The referral's own events, and the views of the family's page and of the alert it
    came from that showed its status (those pages' read events name the referral in
    ``detail["shown"]``)."""
    referral = (
        SafeAndWellReferral.objects.filter(pk=referral_id)
        .values("family_id", "referred_at", "alert_id")
        .first()
    )
    page_views: list[int] = []
    if referral is not None:
        pages = Q(object_type="family")
        if referral["alert_id"] is not None:
            pages |= Q(object_type="alert", object_id=str(referral["alert_id"]))
        views = AuditEvent.objects.filter(
            pages,
            family_id=referral["family_id"],
            action="view",
            at__gte=referral["referred_at"],
        ).values_list("pk", "detail")
        page_views = [
            pk
            for pk, detail in views
            if referral_id in (detail or {}).get("shown", {}).get("referral", [])
        ]
    return AuditEvent.objects.filter(
        Q(object_type="referral", object_id=str(referral_id)) | Q(pk__in=page_views)
    ).select_related("actor")
