"""Many people at once against two web processes and a task worker, on PostgreSQL.

    .venv/bin/python bench/load.py                       # 20 users for 30 s (CI's check)
    .venv/bin/python bench/load.py --users 50 --seconds 60
    .venv/bin/python bench/load.py --users 50 --seconds 60 --ramp 10 --think 2

A fresh PostgreSQL database is made (and dropped after, unless ``--keep``) on the server of
``LOAD_DATABASE_SERVER`` (postgres://postgres@127.0.0.1:5432), migrated and given a site,
a cohort and one site manager per user (Argon2 passwords, a one-use second-factor code
each). Two gunicorn servers (each one process with threads, ``gunicorn.conf.py``) listen
on loopback ports, with the shared database cache, and one task worker sends messages.

Each user signs in (password, then second factor) on one server, then until the time is
up, against both servers in turn: the home page, the caseload, a family's page, records a
new family (a write with a unique name), and now and then asks for a parent's sign-in code
for one shared address. Then the servers stop, the worker finishes the queue, and the run
fails (exit status 1) unless:

- no answer was a server error (5xx) or a dropped connection;
- every family a user was told was recorded is in the database, once, and no other;
- the parent got exactly ``PORTAL_REQUESTS_PER_ADDRESS`` codes (3) however many times the
  two servers were asked: the rate limit holds across processes;
- every queued message was sent once (none pending, claimed or unknown).

Printed: requests, p50/p95 per kind of request (sign-in included), the checks.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("LOAD_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
PASSWORD = "a long load-test passphrase"  # noqa: S105 - a throwaway database's users
SHARED_ADDRESS = "load-parent@example.test"
TODAY = datetime.now(ZoneInfo("Europe/London")).date()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _seed(users: int) -> dict[str, object]:
    """Runs in this process once Django is set up on the load database."""
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from babysteps.accounts.models import (
        Membership,
        PractitionerProfile,
        ProfessionalRole,
        Role,
        User,
    )
    from babysteps.cohorts.models import Cohort, Enrolment
    from babysteps.families.models import Family, Parent
    from babysteps.licensing.models import Licence, Organisation, Site

    organisation = Organisation.objects.create(name="Load test organisation")
    licence = Licence.objects.create(
        organisation=organisation,
        reference="LOAD-1",
        status="active",
        start_date=TODAY - timedelta(days=365),
        end_date=TODAY + timedelta(days=365),
    )
    site = Site.objects.create(organisation=organisation, licence=licence, name="Load site")
    cohort = Cohort.objects.create(
        site=site,
        name="Load cohort",
        start_date=TODAY + timedelta(days=14),
        due_date_from=TODAY + timedelta(days=60),
        due_date_to=TODAY + timedelta(days=150),
        capacity=12,
    )
    hashed = make_password(PASSWORD)  # Argon2, as in production: checked on every sign-in
    people = []
    for n in range(users):
        user = User.objects.create(
            email=f"load-{n}@example.test", full_name=f"Load {n}", password=hashed
        )
        PractitionerProfile.objects.create(
            user=user,
            professional_role=ProfessionalRole.MIDWIFE,
            training_completed_on=TODAY - timedelta(days=100),
        )
        # Site managers: they may record a family before it has a cohort place.
        Membership.objects.create(user=user, role=Role.SITE_MANAGER, site=site)
        device = StaticDevice.objects.create(user=user, name="load", confirmed=True)
        StaticToken.objects.create(device=device, token=f"load{n:04d}code")
        people.append((user.email, f"load{n:04d}code"))
    family = Family.objects.create(
        site=site, estimated_due_date=TODAY + timedelta(days=90), postcode="FY1 4AB"
    )
    Parent.objects.create(
        family=family,
        role="mother",
        given_name="Shared",
        family_name="Parent",
        email=SHARED_ADDRESS,
    )
    # A place in a cohort: only then has a family the parents' portal.
    Enrolment.objects.create(
        family=family,
        cohort=cohort,
        status="enrolled",
        status_changed_on=TODAY,
        created_by=User.objects.first(),
    )
    return {"people": people, "site": site.pk, "cohort": cohort.pk, "family": family.pk}


class User:
    def __init__(self, number: int, email: str, code: str, bases: list[str], seed: dict) -> None:
        self.number, self.email, self.code, self.bases, self.seed = number, email, code, bases, seed
        self.session = requests.Session()
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.recorded: list[str] = []  # family names the server said it recorded
        self.portal_asks = 0
        self.turn = number

    def base(self) -> str:
        self.turn += 1
        return self.bases[self.turn % len(self.bases)]

    def request(self, kind: str, method: str, url: str, **kw: object) -> requests.Response | None:
        began = time.perf_counter()
        try:
            response = self.session.request(method, url, timeout=30, allow_redirects=False, **kw)
        except requests.RequestException as exc:
            self.errors.append(f"{kind}: {type(exc).__name__}")
            return None
        self.timings[kind].append(time.perf_counter() - began)
        if response.status_code >= 500:
            self.errors.append(f"{kind}: {response.status_code} {url}")
        return response

    def token(self, url: str, kind: str) -> str:
        page = self.request(kind, "GET", url)
        match = CSRF.search(page.text) if page is not None else None
        return match.group(1) if match else ""

    def sign_in(self) -> bool:
        base = self.bases[self.number % len(self.bases)]
        token = self.token(f"{base}/accounts/sign-in/", "sign-in form")
        answer = self.request(
            "sign in (Argon2)",
            "POST",
            f"{base}/accounts/sign-in/",
            data={"username": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        if answer is None or answer.status_code != 302:
            self.errors.append(f"sign in refused: {answer.status_code if answer else '-'}")
            return False
        token = self.token(f"{base}/accounts/two-factor/", "second factor form")
        answer = self.request(
            "second factor",
            "POST",
            f"{base}/accounts/two-factor/",
            data={"code": self.code, "csrfmiddlewaretoken": token},
        )
        if answer is None or answer.status_code != 302:
            self.errors.append(f"second factor refused: {answer.status_code if answer else '-'}")
            return False
        return True

    def record_family(self, n: int) -> None:
        base = self.base()
        token = self.token(f"{base}/families/new/", "family form")
        name = f"Load{self.number}x{n}"
        answer = self.request(
            "record a family",
            "POST",
            f"{base}/families/new/",
            data={
                "csrfmiddlewaretoken": token,
                "site": self.seed["site"],
                "cohort": "",
                "mother_given_name": "Mum",
                "mother_family_name": name,
                "mother_mobile": "07700 900123",
                "estimated_due_date": (TODAY + timedelta(days=100)).isoformat(),
                "identifier_type": "nhs",
                "postcode": "FY1 4AB",
                "preferred_language": "English",
                "contact_by_phone": "on",
                "preferred_channel": "phone",
            },
        )
        if (
            answer is not None
            and answer.status_code == 302
            and "/families/" in answer.headers.get("Location", "")
        ):
            self.recorded.append(name)
        elif answer is not None and answer.status_code < 500:
            self.errors.append(f"record a family: not recorded ({answer.status_code})")

    def ask_portal_code(self) -> None:
        base = self.base()
        portal = requests.Session()  # a parent's own browser
        page = portal.get(f"{base}/portal/sign-in/", timeout=30)
        match = CSRF.search(page.text)
        began = time.perf_counter()
        answer = portal.post(
            f"{base}/portal/sign-in/",
            data={
                "address": SHARED_ADDRESS,
                "csrfmiddlewaretoken": match.group(1) if match else "",
            },
            timeout=30,
            allow_redirects=False,
        )
        self.timings["parent asks for a code"].append(time.perf_counter() - began)
        self.portal_asks += 1
        if answer.status_code >= 500:
            self.errors.append(f"portal sign-in: {answer.status_code}")

    def run(self, deadline: float, start_after: float = 0, think: float = 0) -> None:
        """Sign in ``start_after`` seconds in, then go round the pages until the deadline,
        pausing ``think`` seconds after each answer (0: as fast as the servers answer)."""
        time.sleep(start_after)
        if not self.sign_in():
            return
        n = 0
        pages: list[tuple[str, str]] = [
            ("home", "/"),
            ("caseload", "/families/"),
            ("family page", f"/families/{self.seed['family']}/"),
        ]
        while time.monotonic() < deadline:
            for kind, path in pages:
                self.request(kind, "GET", f"{self.base()}{path}")
                time.sleep(think)
            self.record_family(n)
            if n % 3 == self.number % 3:
                time.sleep(think)
                self.ask_portal_code()
            time.sleep(think)
            n += 1


def _start(env: dict[str, str], args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own code
        args, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def _wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"a server stopped at start-up:\n{log.read_text()[-3000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"no server on port {port}")


def _print_timings(users: list[User], count: int, elapsed: float) -> None:
    timings: dict[str, list[float]] = defaultdict(list)
    for user in users:
        for kind, values in user.timings.items():
            timings[kind].extend(values)
    total = sum(len(v) for v in timings.values())
    print(
        f"{count} users for {elapsed:.0f} s on 2 web processes: {total} requests "
        f"({total / elapsed:.0f} a second)"
    )
    every = [t for values in timings.values() for t in values]
    for kind, values in [*sorted(timings.items()), ("all requests", every)]:
        p95 = statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)
        print(
            f"  {kind:28} {len(values):6d}  p50 {statistics.median(values) * 1000:6.0f} ms"
            f"  p95 {p95 * 1000:6.0f} ms"
        )


def _checks(users: list[User]) -> list[str]:
    """What must hold after the run (see the module's docstring); each failure, in words."""
    from babysteps.families.models import Parent
    from babysteps.notifications.models import Message

    failures: list[str] = []
    errors = [e for user in users for e in user.errors]
    if errors:
        failures.append(f"{len(errors)} errors, e.g. {sorted(set(errors))[:5]}")
    told = sorted(name for user in users for name in user.recorded)
    stored = sorted(
        Parent.objects.filter(family_name__startswith="Load").values_list("family_name", flat=True)
    )
    print(f"  families recorded: {len(told)} answered as recorded, {len(stored)} stored")
    if told != stored:
        failures.append("the families stored are not the ones answered as recorded")
    if not told:
        failures.append("no family was recorded")
    asks = sum(user.portal_asks for user in users)
    codes = Message.objects.filter(to=SHARED_ADDRESS).count()
    limit = int(os.environ.get("PORTAL_REQUESTS_PER_ADDRESS", "3"))
    print(f"  one parent's address asked {asks} times across both servers: {codes} codes")
    if asks >= limit and codes != limit:
        failures.append(f"{codes} codes sent to one address, not {limit}")
    unsent = Message.objects.exclude(status__in=["sent", "skipped", "cancelled"]).count()
    print(f"  messages not sent: {unsent}")
    if unsent:
        failures.append(f"{unsent} messages not sent")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--think", type=float, default=0, help="seconds a user pauses after each answer"
    )
    parser.add_argument(
        "--ramp", type=float, default=0, help="users sign in spread over this many seconds"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    parser.add_argument(
        "--cache-url",
        default="",
        help="CACHE_URL for the servers (default: the database cache; e.g. redis://...)",
    )
    args = parser.parse_args()

    name = f"babysteps_load_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    folder = Path(tempfile.mkdtemp(prefix="babysteps-load-"))
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "DJANGO_SETTINGS_MODULE")},
        "DJANGO_SETTINGS_MODULE": "babysteps.settings",
        "DATABASE_URL": f"{SERVER}/{name}",
        "BABYSTEPS_VAR_DIR": str(folder),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "SMS_BACKEND": "babysteps.notifications.sms.ConsoleSmsBackend",
        "EMAIL_URL": "consolemail://",
    }
    if args.cache_url:
        env["CACHE_URL"] = args.cache_url
    os.environ.update(env)
    processes: list[subprocess.Popen] = []
    failures: list[str] = []
    try:
        for step in (
            ["migrate", "--noinput", "-v", "0"],
            ["collectstatic", "--noinput", "-v", "0"],
        ):
            subprocess.run([sys.executable, "manage.py", *step], cwd=ROOT, env=env, check=True)  # noqa: S603
        import django

        django.setup()
        seed = _seed(args.users)
        ports = [_free_port(), _free_port()]
        for number, port in enumerate(ports):
            log = folder / f"web-{number}.log"
            web_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
            processes.append(
                _start(
                    web_env,
                    [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "babysteps.wsgi"],
                    log,
                )
            )
            _wait_for(port, processes[-1], log)
        processes.append(
            _start(
                env,
                [sys.executable, "manage.py", "db_worker", "--interval", "0.5"],
                folder / "worker.log",
            )
        )
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        users = [
            User(n, email, code, bases, seed) for n, (email, code) in enumerate(seed["people"])
        ]
        began = time.monotonic()
        deadline = began + args.seconds
        threads = [
            threading.Thread(
                target=u.run,
                args=(deadline, args.ramp * u.number / max(1, len(users)), args.think),
            )
            for u in users
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        for process in processes[:2]:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        worker = processes.pop()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        subprocess.run(  # the rest of the queue, then stop
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        _print_timings(users, args.users, elapsed)
        failures = _checks(users)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        if not args.keep:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"kept: database {name}, logs in {folder}")
    for failure in failures:
        print(f"FAILED: {failure}")
    print("load check passed" if not failures else "load check FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
