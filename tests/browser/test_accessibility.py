"""axe-core, run in the real browser on the main staff pages: no serious or critical
accessibility violations (WCAG 2.x A and AA rules)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from babysteps.cohorts.services import cohort_schedule_generate
from babysteps.privacy.services import erasure_request
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
}


def _serious(page) -> list[str]:
    page.wait_for_load_state("load")  # the stylesheet applied, or axe judges unstyled links
    results = AXE.run(page, options=OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_staff_pages_have_no_serious_accessibility_violations(live_server, page, sign_in, cast):
    cohort_schedule_generate(cohort=cast.cohort_a)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    problems = {"sign in": _serious(page)}
    page.goto(f"{live_server.url}/accounts/password/reset/")
    problems["forgotten password"] = _serious(page)
    sign_in(cast.manager_a.email, PASSWORD)
    for name, path in [
        ("home", "/"),
        ("caseload", "/families/"),
        ("new family", "/families/new/"),
        ("family", f"/families/{cast.family_a.pk}/"),
        ("cohorts", "/cohorts/"),
        ("cohort", f"/cohorts/{cast.cohort_a.pk}/"),
        ("new cohort", "/cohorts/new/"),
        ("your details", "/accounts/your-details/"),
        ("password", "/accounts/password/"),
        ("staff", f"/staff/sites/{cast.site_a.pk}/"),
        ("invite staff", f"/staff/sites/{cast.site_a.pk}/invite/"),
        ("staff roles", f"/staff/sites/{cast.site_a.pk}/people/{cast.midwife_a.pk}/"),
        ("remove staff", f"/staff/sites/{cast.site_a.pk}/people/{cast.midwife_a.pk}/remove/"),
        ("subject access", f"/privacy/families/{cast.family_a.pk}/subject-access/"),
        ("ask for erasure", f"/privacy/families/{cast.family_a.pk}/erasure/"),
        ("erasure requests", "/privacy/erasures/"),
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.ok, name
        problems[name] = _serious(page)
    assert not any(problems.values()), problems


def test_data_protection_pages_have_no_serious_accessibility_violations(
    live_server, page, sign_in, cast
):
    erasure = erasure_request(family=cast.family_a, reason="asked", requested_by=cast.manager_a)
    sign_in(cast.admin.email, PASSWORD)
    problems = {}
    for name, path in [
        ("family with holds", f"/families/{cast.family_a.pk}/"),
        ("erasure request", f"/privacy/erasures/{erasure.pk}/"),
        ("retention", "/privacy/retention/"),
        ("evaluation report", "/evaluation/report/"),
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.ok, name
        problems[name] = _serious(page)
    assert not any(problems.values()), problems
