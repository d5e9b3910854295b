"""Re-run the attacks of the information-governance review (issue 11) against the demo,
in one process with Django's test client, and print what each now gives.

    .venv/bin/python bench/attacks.py

A throwaway SQLite database in a temporary folder; nothing leaves the machine. The
two-process rate limit is shown by tests/core/test_shared_limits.py (it needs two
processes); everything else is here. The figures are for the closing note and for anyone
who wants to see the defences hold, not a test (the suite has those).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "babysteps.settings"
    os.environ.pop("DATABASE_URL", None)
    os.environ["BABYSTEPS_VAR_DIR"] = tempfile.mkdtemp(prefix="babysteps-attacks-")
    os.environ.setdefault("LOG_LEVEL", "CRITICAL")
    # Queued tasks stay queued (as with a worker running elsewhere): the request's own work.
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)  # axes and django.request would log every attempt
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's testserver host, the locmem mail outbox
    call_command("migrate", verbosity=0)
    call_command("demo", "--quiet")


def code_for(email: str) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def sign_in(client, email: str, password: str, ip: str) -> int:
    """Password then code; the status of the page reached at the end (302 = in)."""
    response = client.post(
        "/accounts/sign-in/", {"username": email, "password": password}, REMOTE_ADDR=ip
    )
    if response.status_code != 302:
        return response.status_code
    response = client.post(
        "/accounts/two-factor/",
        {"code": code_for(email.strip().lower()), "next": "/"},
        REMOTE_ADDR=ip,
    )
    return client.get("/families/", REMOTE_ADDR=ip).status_code


def report(title: str, now: str) -> None:
    print(f"- {title}\n    now: {now}")


def lockout() -> None:
    from django.conf import settings
    from django.test import Client

    password = settings.DEMO_PASSWORD
    email = "hv@riverside.demo"
    variants = [email, email.upper(), email.title(), f" {email}", f"{email} ", email.swapcase()]
    attacker = Client()
    for i in range(24):
        attacker.post(
            "/accounts/sign-in/",
            {"username": variants[i % 6], "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
        )
    seventh = Client().post(
        "/accounts/sign-in/",
        {"username": "Hv@Riverside.Demo", "password": password},
        REMOTE_ADDR="203.0.113.9",
    )
    real = sign_in(Client(), email, password, "198.51.100.7")
    report(
        "24 wrong passwords over 6 case variants from one address, then the right one",
        f"the 7th variant with the right password gets {seventh.status_code} (locked); "
        f"the real user from another address signs in with password + code: {real}",
    )
    locked = "familysupport@blackpool.demo"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            "/accounts/sign-in/", {"username": locked, "password": "x"}, REMOTE_ADDR="203.0.113.10"
        )
    upper = Client().post(
        "/accounts/sign-in/",
        {"username": locked.upper(), "password": password},
        REMOTE_ADDR="203.0.113.10",
    )
    report("a locked account under its upper-case spelling", f"{upper.status_code} (locked)")
    target = "midwife@blackpool.demo"
    for i in range(24):
        Client().post(
            "/accounts/sign-in/",
            {"username": target, "password": "wrong"},
            REMOTE_ADDR=f"192.0.2.{10 + i % 6}",
        )
    plain = Client().post(
        "/accounts/sign-in/", {"username": target, "password": password}, REMOTE_ADDR="198.51.100.8"
    )
    stepped = Client().post(
        "/accounts/sign-in/",
        {"username": target, "password": password, "code": code_for(target)},
        REMOTE_ADDR="198.51.100.8",
    )
    report(
        "24 guesses from 6 rotating addresses, then the real user",
        f"password alone: {plain.status_code} (the form now asks for the code too); "
        f"password + code: {stepped.status_code} (signed in)",
    )


def second_factor() -> None:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.post(
        "/accounts/sign-in/",
        {"username": "admin@nspcc.demo", "password": settings.DEMO_PASSWORD},
        REMOTE_ADDR="198.51.100.20",
    )
    pages = {path: client.get(path).status_code for path in ("/", "/families/", "/admin/")}
    report(
        "password alone, NSPCC admin",
        f"{pages} (each 302 is a redirect to the second-factor page)",
    )


def spoofed_addresses() -> None:
    from django.conf import settings
    from django.test import Client

    passed = 0
    for i in range(22):
        response = Client().post(
            "/portal/sign-in/",
            {"address": f"nobody{i}@example.test"},
            REMOTE_ADDR="203.0.113.50",
            HTTP_X_FORWARDED_FOR=f"10.0.{i}.1",
        )
        passed += response.status_code == 302
    report(
        "22 portal requests from one address rotating X-Forwarded-For "
        f"(TRUSTED_PROXY_COUNT={settings.TRUSTED_PROXY_COUNT})",
        f"{passed} of 22 passed (limit {settings.PORTAL_REQUESTS_PER_IP} an hour per address)",
    )


def timing() -> None:
    from django.core.cache import cache
    from django.test import Client

    from babysteps.families.models import Parent

    known = list(Parent.objects.exclude(email="").values_list("email", flat=True)[:5])
    samples: dict[str, list[float]] = {"known": [], "unknown": []}
    for round_ in range(40):
        cache.clear()  # the rate limits would otherwise stop the run
        for kind in ("known", "unknown"):
            address = known[round_ % len(known)] if kind == "known" else f"x{round_}@example.test"
            client = Client()
            start = time.perf_counter()
            client.post("/portal/sign-in/", {"address": address}, REMOTE_ADDR="198.51.100.30")
            samples[kind].append((time.perf_counter() - start) * 1000)
    k, u = statistics.median(samples["known"]), statistics.median(samples["unknown"])
    report(
        "portal sign-in request, known vs unknown address (40 each, median)",
        f"known {k:.1f} ms, unknown {u:.1f} ms (the message is composed and sent by the worker)",
    )


def tokens_and_links() -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.test import Client

    from babysteps.accounts.models import User

    out = StringIO()
    call_command(
        "api_token", "create", "--email", "manager@riverside.demo", stdout=out, stderr=StringIO()
    )
    token = out.getvalue().strip()
    bearer = Client(headers={"Authorization": f"Bearer {token}"})
    before = bearer.get("/api/v1/families").status_code
    user = User.objects.get(email="manager@riverside.demo")
    user.set_password("a-completely-new-passphrase-1")
    user.save()
    after = bearer.get("/api/v1/families").status_code
    report("an API token after its owner changes password", f"{before} before, {after} after")


def main() -> None:
    setup()
    print("Issue 11's attacks, re-run against the demo:")
    lockout()
    second_factor()
    spoofed_addresses()
    timing()
    tokens_and_links()


if __name__ == "__main__":
    main()
