"""Reads about delivery, already joined, in a fixed number of queries. Scope comes from the access
chokepoints (``babysteps.delivery.access``): these functions narrow and load what the caller may
already see."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connections
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from babysteps.accounts.models import Role, User, discipline_of
from babysteps.bookings.models import PlannedCall
from babysteps.cohorts.models import Cohort, PlannedSession
from babysteps.delivery import rules
from babysteps.delivery.fidelity import ContactRow
from babysteps.delivery.models import (
    Attendance,
    Contact,
    DeliverySwitch,
    FollowUpTask,
    ParentDelivery,
    SessionConversion,
)
from babysteps.delivery.summaries import SUMMARY_FIELDS, Received
from babysteps.families.models import Family
from babysteps.licensing.models import Site
from babysteps.programme.models import Component


def contacts_loaded(queryset: QuerySet[Contact]) -> QuerySet[Contact]:
    """Contacts with what lists and reports need, in a fixed number of queries."""
    return (
        queryset.select_related("component", "cohort", "recorded_by", "corrected_by")
        .prefetch_related(
            Prefetch("facilitators", queryset=User.objects.select_related("practitioner")),
            Prefetch("attendances", queryset=Attendance.objects.order_by("family_id")),
        )
        .annotate(
            covered=Count("key_messages", distinct=True),
            messages_total=Count("component__key_messages", distinct=True),
        )
    )


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def contact_rows(*, contacts: QuerySet[Contact]) -> list[ContactRow]:
    """Plain rows for the fidelity and time figures: four queries of plain values (no model
    object per contact, attendance line or facilitator: a site's 20,000 lines are read in
    a tenth of the time)."""
    ids = contacts.values("pk")
    facilitators: dict[int, list[tuple[int, str | None]]] = defaultdict(list)
    for contact_id, user_id, role in (
        Contact.facilitators.through.objects.filter(contact_id__in=ids)
        .order_by("contact_id", "user__full_name", "user_id")
        .values_list("contact_id", "user_id", "user__practitioner__professional_role")
    ):
        facilitators[contact_id].append((user_id, role))
    present: dict[int, list[tuple[int, bool | None]]] = defaultdict(list)
    for contact_id, family_id, watched in (
        Attendance.objects.filter(contact_id__in=ids, present=True)
        .order_by("contact_id", "family_id")
        .values_list("contact_id", "family_id", "watched_videos_beforehand")
    ):
        present[contact_id].append((family_id, watched))
    covered = Counter(
        Contact.key_messages.through.objects.filter(contact_id__in=ids).values_list(
            "contact_id", flat=True
        )
    )  # a contact covers a key message once (the link is unique)
    components = {c.pk: c for c in Component.objects.annotate(messages_total=Count("key_messages"))}
    rows = []
    for (
        pk,
        cohort_id,
        component_id,
        mode,
        starts_at,
        planned,
        actual,
        interpreted,
    ) in contacts.order_by("starts_at", "pk").values_list(
        "pk",
        "cohort_id",
        "component_id",
        "mode",
        "starts_at",
        "planned_minutes",
        "actual_minutes",
        "interpreter_used",
    ):
        component = components[component_id]
        people = facilitators.get(pk, [])
        there = present.get(pk, [])
        rows.append(
            ContactRow(
                contact_id=pk,
                cohort_id=cohort_id,
                component=component.code,
                component_order=component.order,
                mode=mode,
                day=_local_day(starts_at),
                planned_minutes=planned,
                actual_minutes=actual,
                facilitator_ids=tuple(user_id for user_id, _role in people),
                disciplines=frozenset(
                    discipline_of(role) for _user_id, role in people if role is not None
                ),
                present_family_ids=tuple(family_id for family_id, _w in there),
                key_messages_covered=covered.get(pk, 0),
                key_messages_total=component.messages_total,
                watched=tuple(w for _family_id, w in there),
                group_component=component.is_group_session,
                interpreted=interpreted,
            )
        )
    return rows


def site_facilitators(site_id: int) -> QuerySet[User]:
    """Who may be recorded as delivering at a site: its active facilitators."""
    return (
        User.objects.filter(
            is_active=True, memberships__role=Role.FACILITATOR, memberships__site_id=site_id
        )
        .select_related("practitioner")
        .distinct()
        .order_by("full_name")
    )


def component_count() -> int:
    return Component.objects.count()


def video_first_dates(*, cohorts: Iterable[Cohort]) -> dict[int, date]:
    """When each cohort went video-first: the start of the video-first pause that governed
    its first video-first group session (its own switch or its site's). A site's 2020
    switch says nothing about a cohort that met in groups after the site resumed (two
    queries)."""
    cohorts = list(cohorts)
    switches = list(
        DeliverySwitch.objects.filter(
            Q(cohort__in=cohorts) | Q(site_id__in={c.site_id for c in cohorts}, cohort__isnull=True)
        )
    )
    sessions: dict[int, list[date]] = {}
    for cohort_id, starts_at in (
        PlannedSession.objects.filter(cohort__in=cohorts, component__kind="group_session")
        .order_by("starts_at")
        .values_list("cohort_id", "starts_at")
    ):
        sessions.setdefault(cohort_id, []).append(timezone.localtime(starts_at).date())
    out: dict[int, date] = {}
    for cohort in cohorts:
        points = [
            s.as_point()
            for s in switches
            if s.cohort_id in (None, cohort.pk) and s.site_id == cohort.site_id
        ]
        if not points:
            continue
        starts = {p.id: p.from_date for p in points}
        for day in sessions.get(cohort.pk, []):
            state = rules.governing_on(points, day)
            if state.paused and state.mode == "video" and state.switch_id is not None:
                out[cohort.pk] = starts[state.switch_id]
                break
    return out


# --- A cohort's delivery --------------------------------------------------------------------


@dataclass
class SessionDelivery:
    """One planned component of a cohort, as it is being delivered."""

    session: PlannedSession
    conversion: SessionConversion | None
    register: Contact | None
    present: int = 0
    on_register: int = 0
    calls: Counter = field(default_factory=Counter)

    @property
    def is_remote(self) -> bool:
        return self.conversion is not None

    @property
    def is_past(self) -> bool:
        return self.session.starts_at <= timezone.now()


def cohort_delivery(*, cohort: Cohort) -> list[SessionDelivery]:
    """The cohort's schedule with, per session: delivered as calls or as a group, its
    register (present / on it), and its per-family calls by status (four queries)."""
    sessions = list(PlannedSession.objects.filter(cohort=cohort).select_related("component"))
    conversions = {
        c.planned_session_id: c
        for c in SessionConversion.objects.filter(cohort=cohort, ended_at__isnull=True)
    }
    registers = {
        c.planned_session_id: c
        for c in Contact.objects.filter(cohort=cohort, mode="group").annotate(
            present_count=Count("attendances", filter=Q(attendances__present=True)),
            register_count=Count("attendances"),
        )
    }
    calls: dict[int, Counter] = {}
    for session_id, status in PlannedCall.objects.filter(
        cohort=cohort, reason=PlannedCall.Reason.REMOTE
    ).values_list("planned_session_id", "status"):
        calls.setdefault(session_id, Counter())[status] += 1
    out = []
    for session in sessions:
        register = registers.get(session.pk)
        out.append(
            SessionDelivery(
                session=session,
                conversion=conversions.get(session.pk),
                register=register,
                present=getattr(register, "present_count", 0),
                on_register=getattr(register, "register_count", 0),
                calls=calls.get(session.pk, Counter()),
            )
        )
    return out


def cohort_history(*, cohort: Cohort) -> list[DeliverySwitch]:
    """The switches that applied to the cohort (its own and its site's), newest first."""
    return list(
        DeliverySwitch.objects.filter(
            Q(cohort=cohort) | Q(site_id=cohort.site_id, cohort__isnull=True)
        )
        .select_related("created_by", "cohort")
        .order_by("-created_at", "-pk")
    )


def site_history(*, site: Site) -> list[DeliverySwitch]:
    return list(
        DeliverySwitch.objects.filter(site=site)
        .select_related("created_by", "cohort")
        .order_by("-created_at", "-pk")
    )


# --- A family's record ------------------------------------------------------------------------


def family_attendances(*, family: Family) -> list[Attendance]:
    """Every contact the family was on (present or not), newest first, with the contact,
    its component and facilitators."""
    return list(
        Attendance.objects.filter(family=family)
        .select_related("contact", "contact__component", "contact__cohort")
        .prefetch_related("contact__facilitators")
        .order_by("-contact__starts_at", "-contact_id")
    )


def family_follow_ups(*, family: Family) -> list[FollowUpTask]:
    return list(
        FollowUpTask.objects.filter(family=family)
        .select_related("component", "assigned_to", "visit")
        .order_by("-created_at")
    )


# --- Home pages ------------------------------------------------------------------------------


def open_follow_ups_for(*, user: User, limit: int = 50) -> list[FollowUpTask]:
    return list(
        FollowUpTask.objects.filter(assigned_to=user, status=FollowUpTask.Status.OPEN)
        .select_related("component", "family")
        .prefetch_related("family__parents")
        .order_by("due_on", "pk")[:limit]
    )


def unassigned_follow_ups(*, site_ids: Iterable[int], limit: int = 50) -> list[FollowUpTask]:
    """Follow-ups with nobody to make them (a cohort without a children's services
    practitioner): the site's managers see these."""
    return list(
        FollowUpTask.objects.filter(
            family__site_id__in=list(site_ids),
            assigned_to__isnull=True,
            status=FollowUpTask.Status.OPEN,
        )
        .select_related("component", "family")
        .prefetch_related("family__parents")
        .order_by("due_on", "pk")[:limit]
    )


def contact_register(*, contact: Contact) -> list[Attendance]:
    return list(
        contact.attendances.select_related("family")
        .prefetch_related("family__parents")
        .order_by("family_id")
    )


CORRECTED_FIELDS = {
    "starts_at": gettext_lazy("when it started"),
    "planned_minutes": gettext_lazy("planned length"),
    "actual_minutes": gettext_lazy("actual length"),
    "notes": gettext_lazy("notes"),
    "facilitators": gettext_lazy("who delivered it"),
    "key_messages": gettext_lazy("key messages covered"),
    "attendance": gettext_lazy("who took part"),
}


@dataclass(frozen=True)
class CorrectionLine:
    corrected_by: str
    corrected_at: datetime
    fields: list[str]
    families: list[str]


def contact_corrections(*, contact: Contact, register: list[Attendance]) -> list[CorrectionLine]:
    """Who corrected the record, when, and what: newest first, with the families whose
    register row changed named as on the register."""
    names = {row.family_id: row.family.display_name for row in register}
    return [
        CorrectionLine(
            corrected_by=c.corrected_by.full_name,
            corrected_at=c.corrected_at,
            fields=[str(CORRECTED_FIELDS.get(f, f)) for f in c.fields],
            families=[names.get(fid, f"#{fid}") for fid in c.family_ids],
        )
        for c in contact.corrections.select_related("corrected_by")
    ]


def received_by_parent(*, families: QuerySet[Family]) -> dict[tuple[int, str], Received]:
    """(family id, "mother" or "partner") -> what that parent attended, for the given
    families (a register line counts for the parent marked there), from the summary kept
    on every change (``delivery.summaries``): one query of two rows a family, read with
    the database cursor directly (whole numbers and a role only, nothing to convert): the
    ORM's row-by-row handling was two thirds of the time nationally."""
    rows = ParentDelivery.objects.filter(family_id__in=families.values("pk")).values_list(
        *SUMMARY_FIELDS
    )
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return {(row[0], row[1]): Received._make(row[2:]) for row in cursor.fetchall()}
