"""Playwright against Debian's Chromium (no browser download). Skipped, with the
reason, when no Chromium is installed (see tests/conftest.py)."""

import pytest
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from babysteps.accounts.models import User
from tests.conftest import CHROMIUM
from tests.videos.fixtures import world  # noqa: F401 (the video world, for portal journeys)

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
    """Sign in through the real forms, as a person would: the password, then the code
    from their authenticator app (one is set up for them with a known key)."""

    def do(email: str, password: str) -> None:
        user = User.objects.get(email=email)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", key=KEY)
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        if "/accounts/two-factor/" not in page.url:
            return  # the password was refused
        page.get_by_label("Code").fill(second_factor_code(device))
        page.get_by_role("button", name="Continue").click()

    return do


KEY = "0803894c8f90c8c74dd37c8828926a2635be77df"


def second_factor_code(device: TOTPDevice) -> str:
    """The code the app shows now (django-otp's own algorithm); when this person already
    signed in with it in the same 30 seconds (a code works once), a recovery code."""
    device.refresh_from_db()
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t >= now.t():
        recovery, _ = StaticDevice.objects.get_or_create(user=device.user, name="Recovery codes")
        return recovery.token_set.create(token=StaticToken.random_token()).token
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"
