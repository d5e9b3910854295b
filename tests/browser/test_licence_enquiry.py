"""A visitor enquires at /enquire/, confirms by the emailed link, and an NSPCC admin finds
the enquiry in the pipeline and moves it to readiness assessment."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from babysteps.licensing.models import Licence
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enquire_confirm_and_move_to_readiness(live_server, page, sign_in, cast):
    mail.outbox.clear()
    page.goto(f"{live_server.url}/enquire/")
    expect(page.get_by_label("Leave this empty")).to_be_hidden()  # the robot trap
    page.get_by_label("Your organisation").fill("Westshire Health Partnership")
    page.get_by_label("The area you would deliver in").fill("Westshire")
    page.get_by_label("Your name").fill("Sam Okafor")
    page.get_by_label("Your email address").fill("sam@westshire.example")
    page.get_by_label("What would you like to deliver?").fill("Two targeted groups a year.")
    page.get_by_label("Why Baby Steps, and why now?").fill("Perinatal mental health is a priority.")
    page.get_by_role("button", name="Send my enquiry").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert not Licence.objects.filter(organisation__name="Westshire Health Partnership").exists()

    body = next(m.body for m in mail.outbox if "sam@westshire.example" in m.to)
    link = re.search(r"/enquire/confirm/\?token=\S+", body).group(0)
    page.goto(f"{live_server.url}{link}")
    page.get_by_role("button", name="Confirm my enquiry").click()
    expect(page.get_by_role("heading", name="Thank you: your enquiry is confirmed")).to_be_visible()

    page.context.clear_cookies()
    sign_in(cast.admin.email, PASSWORD)
    page.goto(f"{live_server.url}/licensing/")
    page.get_by_role("link", name=re.compile(r"BS-\d{4}-\d{5}")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Westshire Health Partnership")
    expect(page.get_by_text("Two targeted groups a year.")).to_be_visible()
    page.get_by_label("Move to").select_option("readiness")
    page.get_by_role("button", name="Move the licence").click()
    expect(page.get_by_text("The licence is now: Readiness assessment.")).to_be_visible()
    licence = Licence.objects.get(organisation__name="Westshire Health Partnership")
    assert licence.status == Licence.Status.READINESS
    assert licence.steps.last().by == cast.admin
