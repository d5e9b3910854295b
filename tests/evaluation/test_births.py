"""Birth outcomes: rates per group with their n and Wilson interval (checked against
statsmodels), only for families consenting to the evaluation, suppressed below the
minimum, beside reference rates kept as data."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from statsmodels.stats.proportion import proportion_confint

from babysteps.evaluation.births import birth_outcomes
from babysteps.evaluation.models import ReferenceRate
from babysteps.evaluation.selectors import Filters
from babysteps.families.models import Baby
from tests.evaluation.helpers import attended, completers
from tests.factories import today

pytestmark = pytest.mark.django_db

BIRTHS = [  # weeks, grams, mode
    (36, 2400, "vaginal"),
    (38, 3100, "planned_caesarean"),
    (39, 3300, "emergency_caesarean"),
    (40, 3500, "vaginal"),
    (35, 2300, "emergency_caesarean"),
    (41, 3900, "assisted"),
]


def _born(family, weeks: int, grams: int, mode: str) -> None:
    Baby.objects.create(
        family=family,
        date_of_birth=today() - timedelta(days=30),
        gestation_weeks=weeks,
        birth_weight_grams=grams,
        mode_of_birth=mode,
    )


@pytest.fixture
def births(cast):
    families = completers(cast, cast.cohort_a, [(10, 8)] * 6)
    for family, birth in zip(families, BIRTHS, strict=True):
        _born(family, *birth)
    attended(cast.cohort_a, families[:3], ["phone"] * 5, by=cast.admin)
    attended(cast.cohort_a, families[3:], ["group"] * 5, by=cast.admin)
    refused = completers(cast, cast.cohort_a, [(10, 8)], given=False)[0]
    _born(refused, 30, 1200, "emergency_caesarean")  # not consenting: not counted
    small = completers(cast, cast.cohort_b, [(10, 8)] * 2)
    for family in small:
        _born(family, 39, 3200, "vaginal")
    return families


def test_rates_with_their_n_and_wilson_intervals(births):
    groups = birth_outcomes(filters=Filters(), site_ids=None, min_n=5)
    everyone = groups["all"][0]
    assert everyone.babies == 8  # 6 + 2; the non-consenting family's baby is left out
    preterm = everyone.rates["preterm"]
    assert (preterm.k, preterm.n) == (2, 8)
    assert preterm.percent == pytest.approx(25.0)
    assert preterm.ci95 == pytest.approx(proportion_confint(2, 8, method="wilson"))
    assert (everyone.rates["low_birth_weight"].k, everyone.rates["low_birth_weight"].n) == (2, 8)
    assert everyone.rates["planned_caesarean"].k == 1
    assert everyone.rates["emergency_caesarean"].k == 2


def test_groups_by_site_and_delivered_mode_with_small_cells_suppressed(births, cast):
    groups = birth_outcomes(filters=Filters(), site_ids=None, min_n=3)
    by_site = {g.label: g for g in groups["site"]}
    assert by_site[cast.site_b.name].rates["preterm"].suppressed  # 2 babies
    assert by_site[cast.site_a.name].rates["preterm"].k == 2
    by_mode = {g.label: g for g in groups["delivered_mode"]}
    assert by_mode["Remote"].babies == 3 and by_mode["Remote"].rates["preterm"].k == 1
    assert by_mode["Face-to-face"].babies == 3 and by_mode["Face-to-face"].rates["preterm"].k == 1
    remote_only = birth_outcomes(filters=Filters(delivery_mode="remote"), site_ids=None, min_n=3)
    assert remote_only["all"][0].babies == 3


def test_a_managers_figures_are_their_sites_only(births, cast):
    groups = birth_outcomes(filters=Filters(), site_ids=frozenset({cast.site_b.pk}), min_n=5)
    assert groups["all"][0].babies == 2
    assert groups["all"][0].rates["preterm"].suppressed


def test_the_page_shows_outcomes_beside_the_reference_rates(births, cast):
    client = Client()
    client.force_login(cast.evaluator)
    page = client.get(reverse("evaluation:page")).content.decode()
    assert "Birth outcomes" in page
    assert "25.0%" in page and "(2 of 8;" in page
    reference = ReferenceRate.objects.get(outcome="preterm")
    assert reference.source in page and "not yet checked" in page


def test_nspcc_admins_keep_the_reference_rates(cast):
    client = Client()
    client.force_login(cast.admin)
    reference = ReferenceRate.objects.get(outcome="preterm")
    url = reverse("admin:evaluation_referencerate_change", args=[reference.pk])
    assert client.get(url).status_code == 200


def test_the_printable_report_has_methods_figures_modes_attrition_and_births(births, cast):
    client = Client()
    client.force_login(cast.evaluator)
    response = client.get(reverse("evaluation:report"), {"planned_mode": "group"})
    assert response.status_code == 200
    page = response.content.decode()
    for heading in ("Methods", "Who counts", "Delivered mode", "Birth outcomes"):
        assert heading in page, heading
    assert "Planned mode: group" in page  # the filters are recorded
    assert "Adjusted for the baseline score" in page and "attrition" in page
    assert "data-print" in page
