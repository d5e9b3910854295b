"""The access chokepoints: the only way views, API endpoints and commands reach
family-level records.

Each ``*_for_user`` function answers "may this user reach this object?" and either
returns it or raises ``Http404`` (never 403, which would confirm that another site's
record exists). Reads are written to the audit trail here, once per call, so a view
cannot forget to. Writes are audited by the service that performs them, inside its
transaction, so a failed write leaves no event.

Scope:
- NSPCC programme admin: every site.
- Site manager: the families and cohorts of their sites.
- Facilitator: the families enrolled in cohorts they facilitate, at their sites.
- NSPCC evaluator and safe-and-well practitioner: no identifiable family records here.
  The safe-and-well team reaches the referrals in its queue, and of each family only the
  check view (see the safeguarding section at the end of this module).
- Anyone else (parents, role-less accounts): nothing.
"""

import dataclasses
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from babysteps.accounts.models import User
from babysteps.accounts.selectors import Roles, roles_for
from babysteps.audit.models import Action, AuditEvent
from babysteps.audit.services import audit_record
from babysteps.cohorts.models import Cohort, Enrolment, PlannedSession
from babysteps.families.models import Family
from babysteps.licensing.models import Site

NOT_FOUND = "Not found."
_Model = TypeVar("_Model", bound=Model)
# Actions recorded by the chokepoint itself; CHANGE is recorded by the writing service.
_AUDITED_HERE = (Action.VIEW, Action.EXPORT)


def _cohort_scope(user: User, roles: Roles) -> Q | None:
    """A filter on Cohort for what the user may reach; None means everything."""
    if roles.is_admin:
        return None
    scope = Q(pk__in=[])
    if roles.managed_site_ids:
        scope |= Q(site_id__in=roles.managed_site_ids)
    if roles.facilitator_site_ids:
        scope |= Q(site_id__in=roles.facilitator_site_ids, facilitator_links__user=user)
    return scope


def sites_for_user(user: User) -> QuerySet[Site]:
    """Sites whose records the user may see (admins: all)."""
    roles = roles_for(user)
    if roles.is_admin:
        return Site.objects.all()
    return Site.objects.filter(pk__in=roles.site_ids)


def cohorts_for_user(user: User) -> QuerySet[Cohort]:
    """The cohorts the user may open. No audit: a list of cohorts names no family."""
    roles = roles_for(user)
    if not roles.sees_family_records:
        return Cohort.objects.none()
    scope = _cohort_scope(user, roles)
    if scope is None:
        return Cohort.objects.all()
    return Cohort.objects.filter(pk__in=Cohort.objects.filter(scope).values("pk"))


def families_for_user(user: User) -> QuerySet[Family]:
    """The families the user may open. Callers that show the list audit it as a LIST."""
    roles = roles_for(user)
    if not roles.sees_family_records:
        return Family.objects.none()
    if roles.is_admin:
        return Family.objects.all()
    scope = Q(pk__in=[])
    if roles.managed_site_ids:
        scope |= Q(site_id__in=roles.managed_site_ids)
    if roles.facilitator_site_ids:
        facilitated = Enrolment.objects.filter(
            cohort__in=cohorts_for_user(user), cohort__site_id__in=roles.facilitator_site_ids
        ).values("family_id")
        scope |= Q(pk__in=facilitated)
    return Family.objects.filter(scope)


def _audit_read(
    user: User,
    action: str,
    obj_type: str,
    obj_id: int,
    family_id: int | None,
    site_id: int,
    channel: str | None,
    reason: str,
) -> AuditEvent | None:
    if action in _AUDITED_HERE:
        return audit_record(
            actor=user,
            action=action,
            object_type=obj_type,
            object_id=obj_id,
            family_id=family_id,
            site_id=site_id,
            channel=channel,
            reason=reason,
        )
    return None


def _as_id(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None


def _one(queryset: QuerySet[_Model], object_id: object) -> _Model:
    """The object with this id in ``queryset`` (the user's scope); else the same 404 as
    for an id that does not exist, so nothing outside the scope is confirmed."""
    obj = queryset.filter(pk=_as_id(object_id)).first()
    if obj is None:
        raise Http404(NOT_FOUND)
    return obj


def family_for_user(
    user: User,
    family_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> Family:
    """The family, if the user may reach it, with site and parents loaded; else 404.

    ``action`` is VIEW or EXPORT for reads (audited here) or CHANGE before a write (the
    service audits the write).
    """
    family = _one(
        families_for_user(user).select_related("site", "site__licence").prefetch_related("parents"),
        family_id,
    )
    # Kept on the instance so the page's panels can add what else they showed to this one
    # event (``family_page_shows``) instead of writing events of their own.
    family._read_event = _audit_read(  # type: ignore[attr-defined]
        user, action, "family", family.pk, family.pk, family.site_id, channel, reason
    )
    return family


def family_page_shows(family: Family, kind: str, ids: list[int]) -> None:
    """Record, on the family page's one read event, the ids of other records a panel
    showed on it (alerts, referral outcomes): a page read stays exactly one audit event,
    and the event still says everything that was seen."""
    _read_event_shows(family, kind, ids)


def _read_event_shows(obj: object, kind: str, ids: list[int]) -> None:
    """Name ``ids`` on the read event a chokepoint kept on ``obj`` (if it wrote one)."""
    event: AuditEvent | None = getattr(obj, "_read_event", None)
    if event is None or not ids:
        return
    shown = event.detail.setdefault("shown", {})
    shown[kind] = sorted({*shown.get(kind, []), *ids})
    AuditEvent.objects.filter(pk=event.pk).update(detail=event.detail)


def can_record_family_without_cohort(user: User, site: Site) -> bool:
    """Managers and admins may record a family before it has a cohort place. A facilitator
    must place it in one of their cohorts, or they could not see what they recorded."""
    roles = roles_for(user)
    return roles.is_admin or site.pk in roles.managed_site_ids


def can_manage_cohort(user: User, cohort: Cohort) -> bool:
    """Managers of the cohort's site and NSPCC admins run cohorts (staffing, schedule)."""
    roles = roles_for(user)
    return roles.is_admin or cohort.site_id in roles.managed_site_ids


def cohort_for_user(
    user: User,
    cohort_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> Cohort:
    """The cohort, if the user may reach it; else 404. A CHANGE also needs the right to
    manage it (PermissionDenied for a facilitator, who can see but not run it)."""
    cohort = _one(
        cohorts_for_user(user).select_related("site", "site__licence"),
        cohort_id,
    )
    if action == Action.CHANGE and not can_manage_cohort(user, cohort):
        raise PermissionDenied("Only the site's managers can change this cohort.")
    # The cohort page lists its families by name, so reading it is audited too.
    _audit_read(user, action, "cohort", cohort.pk, None, cohort.site_id, channel, reason)
    return cohort


def site_for_user(user: User, site_id: int | str, *, manage: bool = False) -> Site:
    """A site the user belongs to (or any, for admins); ``manage`` asks for a manager."""
    roles = roles_for(user)
    site = _one(sites_for_user(user).select_related("licence", "organisation"), site_id)
    if manage and not (roles.is_admin or site.pk in roles.managed_site_ids):
        raise PermissionDenied("Only the site's managers can do this.")
    return site


def enrolment_for_user(user: User, enrolment_id: int | str, *, family: Family) -> Enrolment:
    """An enrolment of a family already reached through ``family_for_user``."""
    return _one(
        Enrolment.objects.filter(family=family).select_related("cohort"),
        enrolment_id,
    )


def planned_session_for_user(
    user: User, session_id: int | str, *, cohort: Cohort
) -> PlannedSession:
    """A planned session of a cohort already reached through ``cohort_for_user``."""
    return _one(
        PlannedSession.objects.filter(cohort=cohort).select_related("component"),
        session_id,
    )


# --- safeguarding ---
# Safe-and-well referrals. The referring side (the family's facilitators and site
# managers) reaches a referral through the family's scope; the NSPCC safe-and-well team
# reaches only its queue: referrals waiting to be claimed, and those a practitioner holds
# (the team lead: all of them). The team never reaches the family record itself: it gets
# the check view (``babysteps.safeguarding.selectors.ReferralView``, check lens).
from babysteps.safeguarding import selectors as safeguarding_selectors  # noqa: E402
from babysteps.safeguarding.models import SafeAndWellReferral  # noqa: E402


def referrals_for_user(user: User) -> QuerySet[SafeAndWellReferral]:
    """The referrals the user may open. Lists audit themselves (LIST, with the ids)."""
    roles = roles_for(user)
    if roles.is_admin or roles.is_safe_and_well_lead:
        return SafeAndWellReferral.objects.all()
    scope = Q(pk__in=[])
    if roles.site_ids:
        scope |= Q(family__in=families_for_user(user))
    if roles.is_safe_and_well:
        scope |= Q(status=SafeAndWellReferral.Status.OPEN, claimed_by__isnull=True)
        scope |= Q(claimed_by=user)
    return SafeAndWellReferral.objects.filter(scope)


def referral_for_user(
    user: User,
    referral_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> SafeAndWellReferral:
    """The referral, if the user may reach it; else 404. VIEW and EXPORT are audited
    here, once; a CHANGE is audited by the service that makes it."""
    referral = _one(
        referrals_for_user(user).select_related("site", "claimed_by"),
        referral_id,
    )
    _audit_read(
        user,
        action,
        "referral",
        referral.pk,
        referral.family_id,
        referral.site_id,
        channel,
        reason,
    )
    return referral


def referral_sees_family(user: User, referral: SafeAndWellReferral) -> bool:
    """Whether the user sees the referral from the family's side (the site lens: the
    family's id and names) rather than the NSPCC check lens."""
    roles = roles_for(user)
    if roles.is_admin:
        return True
    if not roles.site_ids:
        return False
    return families_for_user(user).filter(pk=referral.family_id).exists()


def referral_view_for_user(
    user: User,
    referral_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> tuple[SafeAndWellReferral, "safeguarding_selectors.ReferralView"]:
    """The referral (a VIEW is audited once) and what this user may see of it. The NSPCC
    team gets the minimal check view of the family, never more; and the safe number only
    once they hold the referral."""
    referral = referral_for_user(user, referral_id, action=action, channel=channel, reason=reason)
    site_lens = referral_sees_family(user, referral)
    loaded = safeguarding_selectors.with_details(
        SafeAndWellReferral.objects.filter(pk=referral.pk), site_lens=site_lens
    ).get()
    view = safeguarding_selectors.referral_view(loaded, site_lens=site_lens)
    if not site_lens and referral.claimed_by_id != user.pk:
        view = dataclasses.replace(view, safe_number="")
    return referral, view


def referral_summaries_for_family(
    user: User, family: Family, *, reason: str = "family page"
) -> "safeguarding_selectors.FamilySafeguarding":
    """Status and outcome of a family's referrals, for its page (the family was reached
    through ``family_for_user``). The referrals shown are named on the page's read event,
    and each referral's own trail lists those page views."""
    referrals = referrals_for_user(user).filter(family__in=families_for_user(user))
    summary = safeguarding_selectors.family_safeguarding(referrals=referrals, family_id=family.pk)
    family_page_shows(family, "referral", [row.id for row in summary.referral_rows])
    return summary


def can_signpost(user: User, family: Family) -> bool:
    """Facilitators and managers of the family's site signpost (the family has already
    been reached through ``family_for_user``)."""
    return family.site_id in roles_for(user).site_ids


def can_claim_referral(user: User, referral: SafeAndWellReferral) -> bool:
    return roles_for(user).works_referrals and (
        referral.status == SafeAndWellReferral.Status.OPEN and referral.claimed_by_id is None
    )


def can_work_referral(user: User, referral: SafeAndWellReferral) -> bool:
    """Log calls and record the outcome: the practitioner holding the referral."""
    return (
        roles_for(user).works_referrals
        and referral.status == SafeAndWellReferral.Status.CLAIMED
        and referral.claimed_by_id == user.pk
    )


def can_assign_referral(user: User, referral: SafeAndWellReferral) -> bool:
    return roles_for(user).is_safe_and_well_lead and referral.is_open


def can_withdraw_referral(user: User, referral: SafeAndWellReferral) -> bool:
    """The referring site withdraws (its facilitators and managers, and NSPCC admins)."""
    return referral.is_open and referral_sees_family(user, referral)


def can_see_referral_audit(user: User, referral: SafeAndWellReferral) -> bool:
    """Managers of the referring site, NSPCC admins and the safe-and-well team lead."""
    roles = roles_for(user)
    return (
        roles.is_admin or roles.is_safe_and_well_lead or referral.site_id in roles.managed_site_ids
    )


# Each change to a referral: who may make it, and what anyone else is told. Pages and the
# API both reach a referral for a change through ``referral_for_change``.
REFERRAL_CHANGES = {
    "claim": (can_claim_referral, "Only the safe-and-well team can claim a waiting referral."),
    "assign": (can_assign_referral, "Only the safe-and-well team lead can assign referrals."),
    "log_call": (can_work_referral, "Only the practitioner holding the referral logs calls."),
    "close": (can_work_referral, "Only the practitioner holding the referral closes it."),
    "withdraw": (can_withdraw_referral, "Only the referring site withdraws a referral."),
}


def referral_for_change(user: User, referral_id: int | str, change: str) -> SafeAndWellReferral:
    """The referral, reached for a CHANGE (404 outside the user's scope), if the user may
    make this change (one of ``REFERRAL_CHANGES``); PermissionDenied, saying who may,
    otherwise."""
    referral = referral_for_user(user, referral_id, action=Action.CHANGE)
    allowed, refusal = REFERRAL_CHANGES[change]
    if not allowed(user, referral):
        raise PermissionDenied(refusal)
    return referral


# --- measures ----------------------------------------------------------------------------
from babysteps.measures.models import Administration  # noqa: E402


def administrations_for_user(user: User) -> QuerySet[Administration]:
    """Questionnaires of the families the user may open (identifiable: not evaluators)."""
    return Administration.objects.filter(family__in=families_for_user(user))


def administration_for_user(
    user: User,
    administration_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> Administration:
    """One questionnaire with its family, parent and instrument loaded; else 404."""
    administration = _one(
        administrations_for_user(user).select_related(
            "family__site", "parent", "instrument", "recorded_by", "cohort"
        ),
        administration_id,
    )
    _audit_read(
        user,
        action,
        "administration",
        administration.pk,
        administration.family_id,
        administration.family.site_id,
        channel,
        reason,
    )
    return administration


# --- alerts ------------------------------------------------------------------------------
from babysteps.alerts.models import Alert  # noqa: E402


def alerts_for_user(user: User) -> QuerySet[Alert]:
    """Alerts about the families the user may open."""
    return Alert.objects.filter(family__in=families_for_user(user))


def alerts_to_act_on(user: User) -> QuerySet[Alert]:
    """Open alerts for the home page: those of the cohorts the user facilitates and of the
    sites they manage (the people an alert is for). NSPCC admins see alerts on family
    pages, not on their home page."""
    roles = roles_for(user)
    scope = Q(pk__in=[])
    if roles.managed_site_ids:
        scope |= Q(site_id__in=roles.managed_site_ids)
    if roles.facilitator_site_ids:
        scope |= Q(
            site_id__in=roles.facilitator_site_ids,
            administration__cohort__facilitator_links__user=user,
        )
    return Alert.objects.filter(
        pk__in=Alert.objects.filter(scope, acknowledged_at__isnull=True).values("pk")
    )


def alert_for_user(
    user: User,
    alert_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
    shown_on: Family | None = None,
) -> Alert:
    """One alert (with family, parent, questionnaire) if the user may see it; else 404.

    ``shown_on``: the alert is shown on a page of this family, which already wrote the
    page's one read event (the signposting form reached the family through
    ``family_for_user``). The alert is then named on that event instead of being read in
    an event of its own, and only if it is that family's alert (else the caller says so
    and shows nothing of it)."""
    alert = _one(
        alerts_for_user(user).select_related(
            "family__site", "parent", "administration__instrument", "acknowledged_by", "site"
        ),
        alert_id,
    )
    if shown_on is not None and getattr(shown_on, "_read_event", None) is not None:
        if action in _AUDITED_HERE and alert.family_id == shown_on.pk:
            family_page_shows(shown_on, "alert", [alert.pk])
        alert._read_event = None  # type: ignore[attr-defined]
        return alert
    # Kept so the alert's page can name what else it showed (its referrals) on this event.
    alert._read_event = _audit_read(  # type: ignore[attr-defined]
        user, action, "alert", alert.pk, alert.family_id, alert.site_id, channel, reason
    )
    return alert


# --- evaluation --------------------------------------------------------------------------


def may_evaluate(user: User) -> bool:
    """NSPCC evaluators and admins (every site, pseudonymised) and site managers (theirs)."""
    roles = roles_for(user)
    return roles.is_admin or roles.is_evaluator or roles.is_manager


def evaluation_site_ids(user: User) -> frozenset[int] | None:
    """The sites whose pseudonymised outcomes the user may evaluate: None means every site.
    Raises PermissionDenied for anyone else."""
    roles = roles_for(user)
    if roles.is_admin or roles.is_evaluator:
        return None
    if roles.is_manager:
        return roles.managed_site_ids
    raise PermissionDenied("Only evaluators, NSPCC admins and site managers see the evaluation.")


def may_export_participants(user: User) -> bool:
    """The participant-level (pseudonymised) file is for NSPCC evaluators and admins."""
    roles = roles_for(user)
    return roles.is_admin or roles.is_evaluator


# --- delivery and bookings ---------------------------------------------------------------
# Contacts (and their registers), follow-up tasks, planned calls, call bookings and
# facilitators' availability. Scope follows the cohort (contacts) or the family (the rest).

from babysteps.bookings.models import Availability, CallBooking, PlannedCall  # noqa: E402
from babysteps.delivery.models import Contact, FollowUpTask  # noqa: E402


def contacts_for_user(user: User) -> QuerySet[Contact]:
    """Contacts in cohorts the user may open. Callers that list them audit the list."""
    return Contact.objects.filter(cohort__in=cohorts_for_user(user))


def contact_for_user(
    user: User,
    contact_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> Contact:
    """A contact (with its cohort, component and attendances), if the user may reach its
    cohort; else 404. Reading it is audited (naming the family for a one-family contact)."""
    contact = _one(
        contacts_for_user(user)
        .select_related("cohort", "cohort__site", "component", "booking")
        .prefetch_related("attendances", "facilitators"),
        contact_id,
    )
    families = {a.family_id for a in contact.attendances.all()}
    family_id = next(iter(families)) if len(families) == 1 else None
    _audit_read(
        user, action, "contact", contact.pk, family_id, contact.cohort.site_id, channel, reason
    )
    return contact


def call_bookings_for_user(user: User) -> QuerySet[CallBooking]:
    """Bookings of families the user may open."""
    return CallBooking.objects.filter(family__in=families_for_user(user))


def call_booking_for_user(
    user: User,
    booking_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> CallBooking:
    """A call booking of a family the user may reach; else 404. Audited."""
    booking = _one(
        call_bookings_for_user(user)
        .select_related("family", "cohort", "cohort__site", "component", "facilitator")
        .prefetch_related("family__parents"),
        booking_id,
    )
    _audit_read(
        user,
        action,
        "callbooking",
        booking.pk,
        booking.family_id,
        booking.cohort.site_id,
        channel,
        reason,
    )
    return booking


def call_booking_for_family(family: Family, booking_id: int | str) -> CallBooking:
    """A booking of a family already reached through its own chokepoint (the parent
    portal reaches the family from the signed-in parent); else 404. Not audited here: the
    caller's chokepoint audited reaching the family."""
    return _one(
        CallBooking.objects.filter(family=family).select_related(
            "cohort", "component", "facilitator", "planned_call"
        ),
        booking_id,
    )


def planned_call_for_user(user: User, call_id: int | str, *, family: Family) -> PlannedCall:
    """A planned call of a family already reached through ``family_for_user``."""
    return _one(
        PlannedCall.objects.filter(family=family).select_related("component", "cohort"),
        call_id,
    )


def follow_up_task_for_user(
    user: User,
    task_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> FollowUpTask:
    """A follow-up task about a family the user may reach; else 404. Audited."""
    task = _one(
        FollowUpTask.objects.filter(family__in=families_for_user(user))
        .select_related("family", "family__site", "component", "visit", "assigned_to")
        .prefetch_related("family__parents"),
        task_id,
    )
    _audit_read(
        user, action, "followuptask", task.pk, task.family_id, task.family.site_id, channel, reason
    )
    return task


def availability_for_user(user: User, availability_id: int | str) -> Availability:
    """Published times the user may change: their own, or (managers, admins) those of the
    facilitators of their sites; else 404. Names no family, so not audited as a read."""
    roles = roles_for(user)
    rows = Availability.objects.filter(active=True)
    if not roles.is_admin:
        rows = rows.filter(Q(facilitator=user) | Q(site_id__in=roles.managed_site_ids))
    return _one(rows.select_related("facilitator", "site"), availability_id)


def cohort_for_delivery(
    user: User, cohort_id: int | str, *, action: str = Action.VIEW, channel: str | None = None
) -> Cohort:
    """A cohort whose sessions the user may record (its facilitators, the site's managers,
    NSPCC admins); else 404. Unlike ``cohort_for_user``, a CHANGE needs no manager: the
    facilitators record registers. Reads are audited."""
    cohort = _one(
        cohorts_for_user(user).select_related("site", "site__licence"),
        cohort_id,
    )
    _audit_read(user, action, "cohort", cohort.pk, None, cohort.site_id, channel, "")
    return cohort


# --- alerts and referrals ----------------------------------------------------------------
# A referral made from a safety alert points at it (``SafeAndWellReferral.alert``). The
# alert is reached through ``alert_for_user``, the referrals through
# ``referrals_for_user``; what a page shows of the other is named on its one read event.


def referral_summaries_for_alert(
    user: User, alert: Alert
) -> list["safeguarding_selectors.ReferralRow"]:
    """Status, holder and outcome of the referrals made from an alert, for the alert's
    page (the alert was reached through ``alert_for_user``, whose read event names them;
    each referral's own trail lists those page views)."""
    referrals = referrals_for_user(user).filter(alert=alert)
    rows = safeguarding_selectors.alert_referrals(referrals=referrals)
    _read_event_shows(alert, "referral", [row.id for row in rows])
    return rows


# --- videos and portal ---
# Staff reach the video library through these; parents reach released videos through
# ``video_for_parent``. Library objects name no family, so they are not audited as
# reads; questions are reached only under a family already reached (and audited) above.

from babysteps.families.models import Parent  # noqa: E402
from babysteps.videos.models import Video, VideoVersion  # noqa: E402


def videos_for_user(user: User) -> QuerySet[Video]:
    """Library entries a member of staff may see: every video for NSPCC admins; national
    videos and their own sites' local videos for site staff; none for anyone else."""
    roles = roles_for(user)
    if roles.is_admin:
        return Video.objects.all()
    if not roles.site_ids:
        return Video.objects.none()
    return Video.objects.filter(Q(site__isnull=True) | Q(site_id__in=roles.site_ids))


def can_manage_library(user: User) -> bool:
    """Who changes library entries: NSPCC admins (national videos) and site managers
    (their site's local videos). Facilitators open and play entries but change none."""
    roles = roles_for(user)
    return roles.is_admin or roles.is_manager


def video_for_user(user: User, video_id: int | str, *, manage: bool = False) -> Video:
    """A library entry the user may open and stream (see ``videos_for_user``); else 404.
    ``manage`` asks for the right to change it (PermissionDenied otherwise): admins for
    national videos, a site's managers for its local ones."""
    from babysteps.videos.services import can_manage_video

    video = _one(
        videos_for_user(user).select_related("component", "site", "current_version"),
        video_id,
    )
    if manage and not can_manage_video(user=user, site=video.site):
        raise PermissionDenied("Only NSPCC admins change national videos.")
    return video


def video_version_for_user(user: User, version_id: int | str, *, video: Video) -> VideoVersion:
    """A version of a library entry already reached through ``video_for_user``."""
    return _one(VideoVersion.objects.filter(video=video), version_id)


def video_for_parent(parent: Parent, video_id: int | str, *, now=None) -> Video:
    """A video released to the parent's family (national or their site's, published or
    theirs before it was retired, its component's release date reached); else 404."""
    from django.utils import timezone

    from babysteps.videos.selectors import video_released_to_family

    video = video_released_to_family(parent.family, _as_id(video_id), now=now or timezone.now())
    if video is None:
        raise Http404(NOT_FOUND)
    return video


def question_for_user(user: User, question_id: int | str, *, family: Family):
    """A parent's question, under a family already reached through ``family_for_user``."""
    from babysteps.portal.models import ParentQuestion

    return _one(ParentQuestion.objects.filter(family=family), question_id)
