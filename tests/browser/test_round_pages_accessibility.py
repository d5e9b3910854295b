"""axe finds no serious violation on this round's new pages: the enquiry, the licensing
pipeline, the national dashboard, the import and the duplicates, a portal page in Urdu."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from babysteps.licensing import pipeline
from tests.factories import PASSWORD
from tests.videos.fixtures import parent_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]},
}


def _serious(page) -> list[str]:
    violations = Axe().run(page, options=OPTIONS).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def test_public_and_admin_pages(live_server, page, sign_in, cast):
    enquiry = pipeline.enquiry_submit(
        organisation_name="Eastshire",
        area="Eastshire",
        contact_name="Jo",
        contact_email="jo@eastshire.example",
        plan="Groups",
        reason="Need",
    )
    licence = pipeline.enquiry_confirm(value=pipeline.enquiry_token(enquiry)).licence
    problems = {}
    page.goto(f"{live_server.url}/enquire/")
    problems["/enquire/"] = _serious(page)
    sign_in(cast.admin.email, PASSWORD)
    for path in (
        "/national/",
        "/licensing/",
        f"/licensing/{licence.pk}/",
        "/families/import/",
        "/families/duplicates/",
        f"/families/{cast.family_a.pk}/merge/",
    ):
        page.goto(f"{live_server.url}{path}")
        problems[path] = _serious(page)
    assert not any(problems.values()), problems


def test_a_portal_page_in_urdu(live_server, page, world):
    client = parent_client(world.mother_a)
    client.post("/portal/language/", {"language": "ur", "next": "/portal/"})
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.goto(f"{live_server.url}/portal/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert not _serious(page)
