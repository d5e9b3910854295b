"""Every chart, drawn by Chromium from the demo's data: a title, a description, axis labels,
and no two pieces of text on top of each other (tick labels included). Each chart is also
saved as a screenshot (in the temporary directory's ``babysteps-charts``) to look at."""

import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command

from babysteps.accounts.models import User
from babysteps.cohorts.models import Cohort
from babysteps.licensing.models import Site
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(tempfile.gettempdir()) / "babysteps-charts"

# Every piece of text in a chart, with its box on the screen.
BOXES = """svg => Array.from(svg.querySelectorAll('text')).map(t => {
  const r = t.getBoundingClientRect();
  return {text: t.textContent, x: r.x, y: r.y, w: r.width, h: r.height};
})"""


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if not a["text"].strip() or not b["text"].strip():
                continue
            # One pixel of tolerance: glyph boxes touch without covering each other.
            dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if dx > 1 and dy > 1:
                found.append((a["text"], b["text"]))
    return found


@pytest.fixture
def seeded_lists(curriculum) -> None:
    from babysteps.measures.catalogue import seed_instruments
    from babysteps.measures.models import Instrument, InstrumentRevision
    from babysteps.safeguarding.models import ReferralReason
    from babysteps.safeguarding.reasons import seed_reasons

    seed_reasons(ReferralReason)
    seed_instruments(Instrument, InstrumentRevision)


def test_every_chart_is_titled_labelled_and_readable(live_server, page, sign_in, seeded_lists):
    call_command("demo", quiet=True)
    blackpool = Site.objects.get(name="Blackpool")
    spring = Cohort.objects.get(name="Blackpool Spring 2020 (remote)")
    pages = {
        "manager@blackpool.demo": [
            ("site-delivery", f"/delivery/sites/{blackpool.pk}/"),
            ("site-time", f"/delivery/sites/{blackpool.pk}/time/"),
            ("cohort", f"/cohorts/{spring.pk}/"),
            ("videos", "/videos/report/?date_from=2020-01-01"),
        ],
        User.objects.filter(memberships__role="nspcc_admin").first().email: [
            ("national", "/national/"),
        ],
        User.objects.filter(memberships__role="nspcc_evaluator").first().email: [
            ("evaluation", "/evaluation/"),
        ],
    }
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    seen, problems = 0, {}
    for email, paths in pages.items():
        User.objects.filter(email=email).update(is_active=True)
        user = User.objects.get(email=email)
        user.set_password(PASSWORD)
        user.save()
        sign_in(email, PASSWORD)
        for name, path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.ok, name
            charts = page.locator("svg.chart")
            for n in range(charts.count()):
                svg = charts.nth(n)
                svg.scroll_into_view_if_needed()
                title = svg.locator("title").first.text_content() or ""
                desc = svg.locator("desc").first.text_content() or ""
                key = f"{name}-{n + 1}: {title}"
                issues = []
                if not title.strip() or not desc.strip():
                    issues.append("no title or description")
                if svg.locator("text").count() < 4:
                    issues.append("no axis labels")
                issues += [f"overlap: {a!r} / {b!r}" for a, b in _overlaps(svg.evaluate(BOXES))]
                if issues:
                    problems[key] = issues
                svg.screenshot(path=SHOTS / f"{name}-{n + 1}.png")
                seen += 1
        page.get_by_role("button", name="Sign out").click()
    assert seen >= 10, seen  # every kind of chart was drawn
    assert not problems, problems
