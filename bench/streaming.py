"""Streaming a 50 MB video through the app (a signed-in parent, range requests, every
access check) beside serving the same file as a static file (WhiteNoise), both from the
same gunicorn process on this machine, with the same client.

    .venv/bin/python bench/streaming.py [--rounds 3] [--chunk-mb 8]

Two request patterns, as a phone's player makes them: open-ended ranges (``bytes=N-``,
from the start and after a seek, read to the end) and bounded chunks (``bytes=a-b``
covering the whole file). Prints MB/s for each and the ratio app / static (target >= 0.8).
The 50 MB file and a throwaway SQLite database are made in a temporary folder.
"""

import argparse
import hashlib
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = 50 * 1024 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup(tmp: Path) -> tuple[str, str]:
    """A site, a cohort, a family with a parent, a published 50 MB video released to
    them, and a portal session. Returns (video file URL, session cookie)."""
    os.environ.update(
        BABYSTEPS_VAR_DIR=str(tmp),
        MEDIA_ROOT=str(tmp / "media"),
        BENCH_STATIC_ROOT=str(tmp / "static"),
        DJANGO_SETTINGS_MODULE="bench.streaming_settings",
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.sessions.backends.db import SessionStore
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.utils import timezone

    from babysteps.accounts.models import Membership, Role, User
    from babysteps.cohorts.models import Cohort, Enrolment, PlannedSession
    from babysteps.cohorts.services import cohort_schedule_generate
    from babysteps.families.models import Family, Parent
    from babysteps.licensing.models import Licence, Organisation, Site
    from babysteps.portal.identity import SESSION_HASH, SESSION_PARENT, _details_hash
    from babysteps.programme.models import Component
    from babysteps.videos.services import video_create, video_publish, video_version_add

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    org = Organisation.objects.create(name="Bench")
    licence = Licence.objects.create(
        organisation=org,
        reference="B-1",
        status="active",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=365),
    )
    site = Site.objects.create(organisation=org, licence=licence, name="Bench site")
    admin = User.objects.create_user("bench@example.test", "x" * 20, full_name="Bench")
    Membership.objects.create(user=admin, role=Role.NSPCC_ADMIN)
    cohort = Cohort.objects.create(
        site=site,
        name="Bench cohort",
        start_date=today,
        due_date_from=today + timedelta(days=80),
        due_date_to=today + timedelta(days=90),
    )
    cohort_schedule_generate(cohort=cohort)
    PlannedSession.objects.filter(cohort=cohort, component__code="S1").update(
        starts_at=timezone.now() + timedelta(days=1)
    )
    family = Family.objects.create(
        site=site,
        estimated_due_date=today + timedelta(days=85),
        postcode="FY1 1AA",
        created_by=admin,
    )
    parent = Parent.objects.create(
        family=family, role="mother", given_name="B", family_name="P", email="p@example.test"
    )
    Enrolment.objects.create(
        family=family, cohort=cohort, status="active", status_changed_on=today, created_by=admin
    )
    # A real WebM header (so the upload checks pass), padded with noise to 50 MB.
    head = (ROOT / "babysteps/videos/demo_media/s1-growing.webm").read_bytes()
    data = head + os.urandom(SIZE - len(head))
    (tmp / "static").mkdir()
    (tmp / "static" / "bench.webm").write_bytes(data)
    video = video_create(
        created_by=admin, component=Component.objects.get(code="S1"), site=None, title="Bench"
    )
    video_version_add(
        video=video,
        uploaded_by=admin,
        file=SimpleUploadedFile("bench.webm", data, "video/webm"),
        captions=(ROOT / "babysteps/videos/demo_media/s1-growing.vtt").read_bytes(),
    )
    video_publish(video=video, changed_by=admin)
    session = SessionStore()
    session[SESSION_PARENT] = parent.pk
    session[SESSION_HASH] = _details_hash(parent)
    session.create()
    return f"/portal/videos/{video.pk}/file/", f"sessionid={session.session_key}"


def _get(port: int, path: str, header: str, cookie: str) -> tuple[int, int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Range": header, "Cookie": cookie})
    response = conn.getresponse()
    digest = hashlib.sha256()
    total = 0
    while chunk := response.read(1024 * 1024):
        total += len(chunk)
        digest.update(chunk)
    conn.close()
    return response.status, total, digest.hexdigest()


def _patterns(chunk: int) -> dict[str, list[str]]:
    return {
        "open-ended (bytes=N-)": ["bytes=0-", f"bytes={SIZE // 2}-", f"bytes={SIZE // 4}-"],
        f"chunks of {chunk // (1024 * 1024)} MB (bytes=a-b)": [
            f"bytes={start}-{min(start + chunk, SIZE) - 1}" for start in range(0, SIZE, chunk)
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--chunk-mb", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        app_path, cookie = _setup(tmp)
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "babysteps.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "1",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("gunicorn did not start") from None
                    time.sleep(0.2)
            # Both paths must send the same bytes.
            checks = {
                _get(port, p, "bytes=1000-1999999", cookie)[1:] for p in (app_path, "/bench.webm")
            }
            assert len(checks) == 1, "the app and the static file sent different bytes"
            print(f"Streaming a {SIZE // 2**20} MB file, gunicorn (1 sync worker)")
            paths = {"app": app_path, "static": "/bench.webm"}
            totals = {"app": [0, 0.0], "static": [0, 0.0]}
            for name, headers in _patterns(args.chunk_mb * 1024 * 1024).items():
                figures = {target: [0, 0.0] for target in paths}
                # App and static take turns, request by request, so that whatever else
                # the machine is doing falls on both alike.
                for _ in range(args.rounds):
                    for header in headers:
                        for target, path in paths.items():
                            start = time.perf_counter()
                            status, size, _ = _get(port, path, header, cookie)
                            elapsed = time.perf_counter() - start
                            assert status == 206, (target, header, status)
                            for tally in (figures[target], totals[target]):
                                tally[0] += size
                                tally[1] += elapsed
                app, static = (figures[t][0] / figures[t][1] / 2**20 for t in paths)
                print(
                    f"  {name:<32} app {app:6.0f} MB/s   static {static:6.0f} MB/s   "
                    f"ratio {app / static:.2f}"
                )
            app, static = (totals[t][0] / totals[t][1] / 2**20 for t in paths)
            print(
                f"  {'overall':<32} app {app:6.0f} MB/s   static {static:6.0f} MB/s   "
                f"ratio {app / static:.2f} (target >= 0.8)"
            )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
