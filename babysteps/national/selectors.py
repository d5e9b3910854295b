"""The national dashboard's reads: one aggregate query per figure, grouped by site, so
the number of queries does not grow with the sites or the families (checked in
tests/national/test_dashboard.py with 2 and 20 sites)."""

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncQuarter

from babysteps.accounts.models import HEALTH_ROLES
from babysteps.alerts.models import Alert
from babysteps.cohorts.models import Enrolment
from babysteps.delivery.models import Attendance, Contact
from babysteps.evaluation.selectors import families_consenting_to_evaluation
from babysteps.families.models import Family
from babysteps.licensing.models import Site
from babysteps.measures.models import Administration
from babysteps.national.figures import DOSE_THRESHOLD, SiteFigures, quarter_of, quarters_between
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


def _dose_counts() -> dict[int, int]:
    """Families holding a place who received at least DOSE_THRESHOLD components."""
    components = (
        Attendance.objects.filter(family_id=OuterRef("pk"), present=True)
        .values("family_id")
        .annotate(n=Count("contact__component_id", distinct=True))
        .values("n")
    )
    placed = Enrolment.objects.filter(family_id=OuterRef("pk"), status__in=Enrolment.HOLDS_PLACE)
    rows = (
        Family.objects.filter(Exists(placed))
        .annotate(dose=Coalesce(Subquery(components, output_field=IntegerField()), 0))
        .values("site_id")
        .annotate(dosed=Count("pk", filter=Q(dose__gte=DOSE_THRESHOLD)))
    )
    return {row["site_id"]: row["dosed"] for row in rows}


def _contact_counts() -> dict[int, dict[str, Any]]:
    def facilitators(condition: Q) -> Subquery:
        through = Contact.facilitators.through
        return Subquery(
            through.objects.filter(condition, contact_id=OuterRef("pk"))
            .values("contact_id")
            .annotate(n=Count("pk"))
            .values("n"),  # type: ignore[misc]
            output_field=IntegerField(),
        )

    health = Q(user__practitioner__professional_role__in=list(HEALTH_ROLES))
    rows = (
        Contact.objects.annotate(
            people=Coalesce(facilitators(Q()), 0),
            health=Coalesce(facilitators(health), 0),
            others=Coalesce(facilitators(~health), 0),
        )
        .values(site_key=F("cohort__site_id"))
        .annotate(
            group_sessions=Count("pk", filter=Q(mode="group")),
            both=Count("pk", filter=Q(mode="group", health__gt=0, others__gt=0)),
            minutes=Coalesce(Sum(F("actual_minutes") * F("people")), 0),
        )
    )
    return _by_site(rows)


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
            Administration.objects.filter(family_id=OuterRef("family_id"), timepoint=timepoint)
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
        Administration.objects.filter(
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


def site_figures(*, labels: dict[int, str] | None = None) -> list[SiteFigures]:
    """Every site's row (``labels``: what to call each site, e.g. a pseudonym)."""
    sites = list(Site.objects.select_related("licence").order_by("name"))
    enrolled, dosed = _enrolment_counts(), _dose_counts()
    contacts, watched = _contact_counts(), _watched_counts()
    questionnaires = _questionnaire_counts()
    referrals, alerts = _safeguarding_counts()
    epds = _epds_pairs()
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
                epds_pairs=epds.get(site.pk, []),
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
