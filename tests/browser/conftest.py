"""Playwright against Debian's Chromium (no browser download). Skipped, with the
reason, when no Chromium is installed (see tests/conftest.py)."""

import pytest

from tests.conftest import CHROMIUM

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": LAUNCH_ARGS}


@pytest.fixture
def sign_in(live_server, page):
    """Sign in through the real form, as a person would."""

    def do(email: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return do
