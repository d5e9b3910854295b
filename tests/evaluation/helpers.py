from babysteps.families.models import Consent, Family
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
