from datetime import timedelta

from django.utils import timezone

from babysteps.delivery.models import Attendance, Contact
from babysteps.families.models import Consent, Family
from babysteps.programme.models import Component
from tests.factories import EnrolmentFactory, ParentFactory, today
from tests.measures.helpers import epds_positions, record


def consent(family: Family, given: bool, by) -> None:
    Consent.objects.create(
        family=family, kind=Consent.Kind.EVALUATION, given=given, decided_on=today(), recorded_by=by
    )


def epds_answers(total: int) -> list[int]:
    """EPDS positions for a total (spread over items 1-9; item 10 stays 0)."""
    scores = {}
    for item in range(1, 10):
        scores[f"item_{item}"] = min(3, max(0, total - 3 * (item - 1)))
    return epds_positions(**scores)


def completers(cast, cohort, pairs, *, given=True, partner=False) -> list[Family]:
    """A family per (pre, post) EPDS pair, mother answering, evaluation consent as given."""
    families = []
    for pre, post in pairs:
        family = EnrolmentFactory(family__site=cohort.site, cohort=cohort).family
        if partner:
            ParentFactory(family=family, role="partner")
        consent(family, given, cast.admin)
        record(
            family, cast.admin, answers=epds_answers(pre), role="partner" if partner else "mother"
        )
        if post is not None:
            record(
                family,
                cast.admin,
                answers=epds_answers(post),
                timepoint="post",
                role="partner" if partner else "mother",
            )
        families.append(family)
    return families


def attended(cohort, families, modes: list[str], *, by, partner: bool = False) -> None:
    """Each family attended one contact per mode given (one component each, in order):
    a group session in person is one register for all of them; a call, one per family."""
    components = list(Component.objects.order_by("order"))
    start = timezone.now() - timedelta(days=60)
    for n, mode in enumerate(modes):
        shared = None
        for family in families:
            if shared is None or mode != "group":
                shared = Contact.objects.create(
                    cohort=cohort,
                    component=components[n],
                    mode=mode,
                    starts_at=start + timedelta(days=n),
                    planned_minutes=60,
                    actual_minutes=60,
                    recorded_by=by,
                    recorded_at=start + timedelta(days=n, hours=2),
                )
            Attendance.objects.create(
                contact=shared,
                family=family,
                present=True,
                mother=not partner,
                partner=partner,
                watched_videos_beforehand=True if mode in ("phone", "video") else None,
            )
