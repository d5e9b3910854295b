# isort: skip_file
"""The national evaluation downloads at scale: time to the first byte, to the first row and
to the last byte, and the process's peak memory, each download in a fresh process (so the
peak is its own). Uses the database ``bench/pages.py`` builds (run it first at that size):

    .venv/bin/python bench/exports.py [--families 100000]

Targets (issue 14): the first byte within 1 s, memory flat (the process under 300 MB while
writing the national participant file). Printed, not asserted: the machine is shared."""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOWNLOADS = [
    ("participant CSV (page)", "/evaluation/participants.csv"),
    ("participant file, CSV", "/evaluation/participants-labelled.csv"),
    ("participant file, XLSX", "/evaluation/participants-labelled.xlsx"),
    ("participant file, SPSS", "/evaluation/participants-labelled.sav"),
    ("figures CSV", "/evaluation/figures.csv"),
]


def _status_mb(field: str) -> float:
    """VmRSS (resident now) or VmHWM (the peak since start or the last reset), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # Linux: VmHWM starts again from now


def one(url: str) -> None:
    """In the child: sign the evaluator in, download ``url``, print the figures."""
    sys.path.insert(0, str(ROOT))
    from bench import national, worklists  # noqa: F401 - sets up Django on the bench database
    from babysteps.accounts.models import User

    client = worklists._client(User.objects.get(email="bench-evaluator@example.test"))
    client.get("/evaluation/codebook.csv")  # a first, light request: the baseline after it
    before = _status_mb("VmRSS")
    _reset_peak()
    began = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200:
        print(f"status {response.status_code}")
        return
    size = rows = 0
    first_byte = first_row = None
    if response.streaming:
        for chunk in response.streaming_content:
            now = time.perf_counter() - began
            if first_byte is None:
                first_byte = now
            elif first_row is None:
                first_row = now
            size += len(chunk)
            rows += chunk.count(b"\n")
    else:
        first_byte = time.perf_counter() - began
        size = len(response.content)
        rows = response.content.count(b"\n")
    elapsed = time.perf_counter() - began
    peak = _status_mb("VmHWM")
    row_text = f"{first_row:6.2f} s" if first_row is not None else "     - "
    print(
        f"{first_byte:6.2f} s  {row_text}  {elapsed:6.2f} s  {size / 1e6:7.1f} MB  "
        f"{rows:8d}  {before:5.0f} MB  {peak:5.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=100_000)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault(
        "BENCH_DATABASE_URL",
        f"postgres://postgres@127.0.0.1:5432/bench_pages_{args.families}",
    )
    if args.one:
        one(args.one)
        return
    print(
        f"{'download':26} {'1st byte':>8} {'1st row':>8} {'last':>8} {'size':>10} "
        f"{'lines':>8} {'before':>8} {'peak':>8}"
    )
    for label, url in DOWNLOADS:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, __file__, "--families", str(args.families), "--one", url],
            capture_output=True,
            text=True,
            check=False,
        )
        line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
        print(f"{label:26} {line}", flush=True)


if __name__ == "__main__":
    main()
