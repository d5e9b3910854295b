"""A facilitator records an EPDS with item 10 above 0; the alert appears on the site
manager's home page; acknowledging it with an action removes it and is audited. Plus
axe-core on the questionnaire, alert and evaluation pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from babysteps.alerts.models import Alert
from babysteps.audit.models import AuditEvent
from babysteps.measures.models import Administration
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Without the licensed wording each option says where it is printed and what it scores.
ORDINALS = ["1st", "2nd", "3rd", "4th"]
# Every item scoring 0 except item 10, whose third option scores 1 (reverse keyed).
POSITIONS = [0, 0, 3, 0, 3, 3, 3, 3, 3, 2]
REVERSED = {3, 5, 6, 7, 8, 9, 10}


def _label(number: int, position: int) -> str:
    score = 3 - position if number in REVERSED else position
    return f"{ORDINALS[position]} option printed - scores {score}"


def test_item_10_alert_reaches_the_manager_and_is_acknowledged(live_server, page, sign_in, cast):
    sign_in(cast.midwife_a.email, PASSWORD)
    page.goto(f"{live_server.url}/families/{cast.family_a.pk}/")
    page.get_by_role("link", name="Record a questionnaire").click()
    page.get_by_role("link", name="EPDS").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("EPDS")
    for number, position in enumerate(POSITIONS, start=1):
        group = page.get_by_role("group", name=f"{number}.", exact=False).filter(
            has=page.locator(f"input[name='item_{number}']")
        )
        group.get_by_label(_label(number, position)).check()
    page.get_by_role("button", name="Save the answers").click()
    # An answer above 0 to item 10 is confirmed before it is saved.
    expect(page.get_by_role("heading", name="Check before saving")).to_be_visible()
    assert not Administration.objects.exists()
    page.get_by_label("I have checked: this is the answer the parent gave").check()
    page.get_by_role("button", name="Save the answers").click()
    expect(page.get_by_text("A safety alert has been raised")).to_be_visible()
    assert Administration.objects.get().item_scores[9] == 1
    page.get_by_role("button", name="Sign out").click()

    sign_in(cast.manager_a.email, PASSWORD)
    panel = page.get_by_role("region", name="Safety alerts to acknowledge (1)")
    expect(panel).to_contain_text("EPDS item 10")
    panel.get_by_role("link", name="Open and acknowledge").click()
    page.get_by_label("Action taken").fill("Called her at once; crisis team and GP informed.")
    page.get_by_role("button", name="Acknowledge the alert").click()
    expect(page.get_by_text("The alert is acknowledged")).to_be_visible()
    expect(page.get_by_role("region", name="Safety alerts to acknowledge (1)")).to_have_count(0)
    alert = Alert.objects.get()
    assert alert.acknowledged_by == cast.manager_a
    assert AuditEvent.objects.filter(
        object_type="alert", object_id=str(alert.pk), action="acknowledge", actor=cast.manager_a
    ).exists()


def test_new_pages_have_no_serious_accessibility_violations(live_server, page, sign_in, cast):
    from tests.measures.helpers import epds_positions, record

    alert = record(cast.family_a, cast.midwife_a, answers=epds_positions(item_10=1)).alerts[0]
    axe = Axe()
    options = {
        "resultTypes": ["violations"],
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]},
    }
    sign_in(cast.manager_a.email, PASSWORD)
    problems = {}
    for path in (
        "/",
        f"/questionnaires/families/{cast.family_a.pk}/new/?instrument=epds",
        f"/questionnaires/{alert.administration_id}/",
        f"/alerts/{alert.pk}/",
        "/alerts/",
        "/evaluation/?group_by=delivered_mode",
    ):
        page.goto(f"{live_server.url}{path}")
        violations = axe.run(page, options=options).response["violations"]
        problems[path] = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert not any(problems.values()), problems
