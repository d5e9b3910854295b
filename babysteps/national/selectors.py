"""The national dashboard's reads: one aggregate query per figure, grouped by site, so
the number of queries does not grow with the sites or the families (checked in
tests/national/test_dashboard.py with 2 and 20 sites)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from babysteps.accounts.models import HEALTH_ROLES, PractitionerProfile
from babysteps.alerts.models import Alert
from babysteps.cohorts.models import Cohort, Enrolment
from babysteps.core.snapshots import kept, refresh_if_due
from babysteps.delivery.models import Attendance, Contact
from babysteps.evaluation.selectors import families_consenting_to_evaluation
from babysteps.families.models import Family
from babysteps.licensing.models import Site
from babysteps.measures.models import Administration
from babysteps.national.figures import (
    DOSE_THRESHOLD,
    SiteFigures,
    mean_change,
    quarter_of,
    quarters_between,
)
from babysteps.safeguarding.models import SafeAndWellReferral

REMOTE = ("phone", "video")


def _by_site(rows: Any, field: str = "site_key") -> dict[int, dict[str, Any]]:
    return {row[field]: row for row in rows}


def _enrolment_counts() -> dict[int, dict[str, Any]]:
    return _by_site(
        Enrolment.objects.filter(status__in=Enrolment.HOLDS_PLACE)
        .values(site_key=F("cohort__site_id"))
        .annotate(
            families=Count("family_id", distinct=True),
            completed=Count(
                "family_id", filter=Q(status=Enrolment.Status.COMPLETED), distinct=True
            ),
            active_cohorts=Count("cohort_id", filter=Q(status__in=Enrolment.OPEN), distinct=True),
        )
    )


def _placeholders(values: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(values))


def _dose_counts() -> dict[int, int]:
    """Families holding a place who received at least DOSE_THRESHOLD components: the
    distinct components per family counted once (one pass over the attendance lines),
    then per site. Plain SQL: the ORM would correlate a subquery per family."""
    attendance, contact = Attendance._meta.db_table, Contact._meta.db_table
    family, enrolment = Family._meta.db_table, Enrolment._meta.db_table
    holds = [str(status) for status in Enrolment.HOLDS_PLACE]
    sql = f"""
        SELECT f.site_id, COUNT(*)
        FROM (
            SELECT a.family_id, COUNT(DISTINCT c.component_id) AS received
            FROM {attendance} a JOIN {contact} c ON c.id = a.contact_id
            WHERE a.present
            GROUP BY a.family_id
        ) dose
        JOIN {family} f ON f.id = dose.family_id
        WHERE dose.received >= %s
          AND EXISTS (
            SELECT 1 FROM {enrolment} e
            WHERE e.family_id = f.id AND e.status IN ({_placeholders(holds)})
          )
        GROUP BY f.site_id
    """  # noqa: S608 (table names from the models; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [DOSE_THRESHOLD, *holds])
        return dict(cursor.fetchall())


def _contact_counts() -> dict[int, dict[str, Any]]:
    """Per site: group sessions, those with a health and a children's services
    practitioner, and facilitator-minutes (every facilitator present counts the whole
    contact, at least one). Each contact's facilitators are counted once (one pass over
    the links), then summed per site."""
    contact, cohort = Contact._meta.db_table, Cohort._meta.db_table
    links = Contact.facilitators.through._meta.db_table
    profile = PractitionerProfile._meta.db_table
    health = sorted(str(role) for role in HEALTH_ROLES)
    sql = f"""
        SELECT co.site_id,
               COUNT(*) FILTER (WHERE pc.mode = 'group'),
               COUNT(*) FILTER (WHERE pc.mode = 'group' AND pc.health > 0 AND pc.others > 0),
               COALESCE(SUM(
                   pc.actual_minutes * CASE WHEN pc.people > 1 THEN pc.people ELSE 1 END
               ), 0)
        FROM (
            SELECT c.id, c.cohort_id, c.mode, c.actual_minutes,
                   COUNT(l.user_id) AS people,
                   COUNT(l.user_id) FILTER (
                       WHERE p.professional_role IN ({_placeholders(health)})
                   ) AS health,
                   COUNT(l.user_id) FILTER (
                       WHERE p.professional_role IS NOT NULL
                         AND p.professional_role NOT IN ({_placeholders(health)})
                   ) AS others
            FROM {contact} c
            LEFT JOIN {links} l ON l.contact_id = c.id
            LEFT JOIN {profile} p ON p.user_id = l.user_id
            GROUP BY c.id, c.cohort_id, c.mode, c.actual_minutes
        ) pc
        JOIN {cohort} co ON co.id = pc.cohort_id
        GROUP BY co.site_id
    """  # noqa: S608 (table names from the models; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*health, *health])
        return {
            site: {"group_sessions": groups, "both": both, "minutes": int(minutes)}
            for site, groups, both, minutes in cursor.fetchall()
        }


def _watched_counts() -> dict[int, dict[str, Any]]:
    return _by_site(
        Attendance.objects.filter(
            present=True, contact__mode__in=REMOTE, watched_videos_beforehand__isnull=False
        )
        .values(site_key=F("contact__cohort__site_id"))
        .annotate(known=Count("pk"), watched=Count("pk", filter=Q(watched_videos_beforehand=True)))
    )


def _questionnaire_counts() -> dict[int, dict[str, Any]]:
    def done(timepoint: str) -> Exists:
        return Exists(
            Administration.objects.counted().filter(
                family_id=OuterRef("family_id"), timepoint=timepoint
            )
        )

    return _by_site(
        Enrolment.objects.filter(status__in=Enrolment.HOLDS_PLACE)
        .annotate(has_pre=done("pre"), has_post=done("post"))
        .values(site_key=F("cohort__site_id"))
        .annotate(
            pre=Count("family_id", filter=Q(has_pre=True), distinct=True),
            post=Count("family_id", filter=Q(has_post=True), distinct=True),
        )
    )


def _safeguarding_counts() -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    referrals = _by_site(
        SafeAndWellReferral.objects.values(site_key=F("family__site_id")).annotate(
            total=Count("pk"),
            claimed_on_time=Count("pk", filter=Q(claimed_at__lte=F("due_soon_at"))),
            closed=Count("pk", filter=Q(closed_at__isnull=False)),
            closed_on_time=Count("pk", filter=Q(closed_at__lte=F("due_by"))),
        )
    )
    alerts = _by_site(
        Alert.objects.values(site_key=F("site_id")).annotate(
            total=Count("pk"), on_time=Count("pk", filter=Q(acknowledged_at__lte=F("escalate_at")))
        )
    )
    return referrals, alerts


def _epds_pairs() -> dict[int, list[tuple[float, float]]]:
    """Each consenting family's mother's EPDS total before and after."""
    rows = (
        Administration.objects.counted()
        .filter(
            instrument__code="epds",
            respondent_role="mother",
            family__in=families_consenting_to_evaluation(),
        )
        .values("family_id", site_key=F("family__site_id"))
        .annotate(
            pre=Max("total", filter=Q(timepoint="pre")),
            post=Max("total", filter=Q(timepoint="post")),
        )
        .filter(pre__isnull=False, post__isnull=False)
    )
    out: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for row in rows.iterator(chunk_size=5000):
        out[row["site_key"]].append((row["pre"], row["post"]))
    return out


def relabelled(rows: list[SiteFigures], labels: dict[int, str]) -> list[SiteFigures]:
    return [replace(row, label=labels.get(row.site_id, row.label)) for row in rows]


def site_figures(*, labels: dict[int, str] | None = None) -> list[SiteFigures]:
    """Every site's row (``labels``: what to call each site, e.g. a pseudonym)."""
    sites = list(Site.objects.select_related("licence").order_by("name"))
    enrolled, dosed = _enrolment_counts(), _dose_counts()
    contacts, watched = _contact_counts(), _watched_counts()
    questionnaires = _questionnaire_counts()
    referrals, alerts = _safeguarding_counts()
    epds = _epds_pairs()
    change = {site.pk: mean_change(epds.get(site.pk, [])) for site in sites}
    rows = []
    for site in sites:
        e, c, w = enrolled.get(site.pk, {}), contacts.get(site.pk, {}), watched.get(site.pk, {})
        q, r, a = (
            questionnaires.get(site.pk, {}),
            referrals.get(site.pk, {}),
            alerts.get(site.pk, {}),
        )
        licence = site.licence
        rows.append(
            SiteFigures(
                site_id=site.pk,
                label=(labels or {}).get(site.pk, site.name),
                licence_status=licence.get_status_display() if licence else "No licence",
                renewal_date=licence.end_date if licence else None,
                active_cohorts=e.get("active_cohorts", 0),
                families=e.get("families", 0),
                completed=e.get("completed", 0),
                dosed=dosed.get(site.pk, 0),
                group_sessions=c.get("group_sessions", 0),
                group_sessions_both_roles=c.get("both", 0),
                facilitator_minutes=c.get("minutes", 0),
                calls_known=w.get("known", 0),
                calls_watched=w.get("watched", 0),
                pre_done=q.get("pre", 0),
                post_done=q.get("post", 0),
                referrals=r.get("total", 0),
                referrals_claimed_on_time=r.get("claimed_on_time", 0),
                referrals_closed=r.get("closed", 0),
                referrals_closed_on_time=r.get("closed_on_time", 0),
                alerts=a.get("total", 0),
                alerts_on_time=a.get("on_time", 0),
                epds_mean=change[site.pk][0],
                epds_n=change[site.pk][1],
            )
        )
    return rows


def quarterly_trends(*, today: date) -> dict[str, Any]:
    """Nationally, by quarter: families given a place, and families reached by each kind
    of contact (two queries)."""
    places = dict(
        Enrolment.objects.annotate(quarter=TruncQuarter("created_at"))
        .values("quarter")
        .annotate(n=Count("family_id", distinct=True))
        .values_list("quarter", "n")
    )
    contacts: dict[Any, dict[str, int]] = defaultdict(dict)
    for quarter, mode, n in (
        Attendance.objects.filter(present=True)
        .annotate(quarter=TruncQuarter("contact__starts_at"))
        .values("quarter", "contact__mode")
        .annotate(n=Count("pk"))
        .values_list("quarter", "contact__mode", "n")
    ):
        contacts[quarter][mode] = n
    keys = [q for q in {*places, *contacts} if q is not None]
    if not keys:
        return {"quarters": [], "places": [], "contacts": {}}
    first = quarter_of(min(keys))
    last = max(quarter_of(max(keys)), quarter_of(today))
    quarters = quarters_between(first, last)
    by_label_places = {quarter_of(k): v for k, v in places.items() if k is not None}
    by_label_contacts: dict[str, dict[str, int]] = defaultdict(dict)
    for k, modes in contacts.items():
        if k is not None:
            by_label_contacts[quarter_of(k)] = modes
    return {
        "quarters": quarters,
        "places": [by_label_places.get(q, 0) for q in quarters],
        "contacts": {q: by_label_contacts.get(q, {}) for q in quarters},
    }


@dataclass(frozen=True)
class Snapshot:
    """The dashboard's figures as computed at ``at`` (labels are the sites' names)."""

    at: datetime
    rows: list[SiteFigures]
    trends: dict[str, Any]


SNAPSHOT_KEY = "national:snapshot:v1"


def _computed(today: date) -> Snapshot:
    return Snapshot(at=timezone.now(), rows=site_figures(), trends=quarterly_trends(today=today))


def snapshot(*, today: date) -> Snapshot:
    """The figures, computed at most every ``NATIONAL_SNAPSHOT_SECONDS`` (they are read
    far more often than they change much, and take seconds at national scale). They hold
    counts and site names, no personal data. 0 computes them afresh every time."""
    return kept(SNAPSHOT_KEY, Snapshot, lambda: _computed(today))


def snapshot_refresh(now: datetime) -> int:
    """Work the figures out again once they are half their lifetime old (or missing), so
    they never expire under a reader (the periodic job). Returns 1 if it did."""
    return refresh_if_due(SNAPSHOT_KEY, now, Snapshot, lambda: _computed(timezone.localdate(now)))
