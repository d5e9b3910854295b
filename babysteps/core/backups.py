"""Backups that restore: a consistent copy of the database made by the engine's own means,
the media files (uploaded videos), and a manifest of row counts per table and a SHA-256 of
every file, so that a backup can be checked without restoring it and a restore checked
against what was backed up.

- SQLite: the online backup API copies the live database page by page into
  ``database.sqlite3`` (consistent even while the app writes); the row counts are read from
  the copy itself.
- PostgreSQL: ``pg_dump --format=custom`` into ``database.dump``, run on a snapshot exported
  from a repeatable-read transaction in which the row counts are taken: the counts and the
  dump see the same instant. Verifying without restoring reads the archive's data back
  with ``pg_restore`` and counts its rows.

``docs/operations.md`` ("Backups") has the schedule and what to keep off-site, encrypted.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class BackupError(Exception):
    """A backup, a check or a restore that cannot go on; the message says why."""


@dataclass
class Check:
    """What a verification found: nothing in ``problems`` means the backup is whole."""

    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables(cursor: Any) -> list[str]:
    return sorted(connection.introspection.table_names(cursor))


def _count(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - a table name
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    command = [program, "--no-password"]
    if db.get("HOST"):
        command += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        command += ["--port", str(db["PORT"])]
    if db.get("USER"):
        command += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return command, env


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(  # noqa: S603 - our own arguments, no shell
            command, env=env, check=True, capture_output=True, text=True
        )
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed on this machine.") from None
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()[:500]}") from None


# --- Backup -----------------------------------------------------------------------------


def _backup_sqlite(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        names = [
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: cursor.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608
            for name in sorted(names)
        }
    finally:
        copy.close()


def _backup_postgresql(target: Path) -> dict[str, int]:
    command, env = _pg_command("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _count(cursor, _tables(cursor))
        _run(
            [
                *command,
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                str(connection.settings_dict["NAME"]),
            ],
            env,
        )
    return counts


def backup(output: Path) -> dict[str, Any]:
    """Write a backup into ``output`` (a new or empty folder); returns the manifest."""
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} is not empty: give a new folder for each backup.")
    vendor = connection.vendor
    if vendor not in FILES:
        raise BackupError(f"Backups of a {vendor} database are not supported.")
    output.mkdir(parents=True, exist_ok=True)
    database = output / FILES[vendor]
    started = timezone.now()
    tables = _backup_sqlite(database) if vendor == "sqlite" else _backup_postgresql(database)
    media_root = Path(settings.MEDIA_ROOT)
    media = {}
    for path in _files(media_root):
        relative = path.relative_to(media_root).as_posix()
        copy = output / MEDIA / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)
        media[relative] = {"sha256": sha256(copy), "size": copy.stat().st_size}
    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(timespec="seconds"),
        "engine": vendor,
        "database": {"file": database.name, "sha256": sha256(database)},
        "tables": tables,
        "media": media,
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


# --- Verify -----------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} has no {MANIFEST}: it is not a backup.") from None
    except ValueError:
        raise BackupError(f"{folder / MANIFEST} is not valid JSON.") from None
    if manifest.get("format") != FORMAT or manifest.get("engine") not in FILES:
        raise BackupError(f"{folder / MANIFEST} is not a backup this version can read.")
    return manifest


def _compare(check: Check, expected: dict[str, int], found: dict[str, int], where: str) -> None:
    for table in sorted(set(expected) | set(found)):
        if table not in found:
            check.problems.append(f"table {table} is missing from {where}")
        elif table not in expected:
            check.problems.append(f"table {table} in {where} is not in the manifest")
        elif found[table] != expected[table]:
            check.problems.append(
                f"table {table}: {found[table]} rows in {where}, {expected[table]} in the manifest"
            )
    check.tables = len(found)
    check.rows = sum(found.values())


def _files_match(check: Check, expected: dict[str, dict[str, Any]], root: Path) -> None:
    present = {p.relative_to(root).as_posix(): p for p in _files(root)}
    for name, facts in sorted(expected.items()):
        path = present.pop(name, None)
        if path is None:
            check.problems.append(f"media file {name} is missing")
        elif sha256(path) != facts["sha256"]:
            check.problems.append(f"media file {name} does not match its checksum")
        else:
            check.files += 1
    check.problems += [f"media file {name} is not in the manifest" for name in sorted(present)]


def _archive_counts_sqlite(path: Path) -> dict[str, int]:
    copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{path} fails SQLite's integrity check.")
        names = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: copy.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608
            for name in names
        }
    finally:
        copy.close()


def _archive_counts_postgresql(path: Path) -> dict[str, int]:
    """Rows per table in a custom-format archive, read back as SQL without restoring it."""
    command, env = _pg_command("pg_restore")
    listing = _run([*command, "--list", str(path)], env).stdout
    tables = {
        parts[-2]
        for line in listing.splitlines()
        if " TABLE " in line and not line.startswith(";")
        for parts in [line.split()]
        if "TABLE DATA" not in line
    }
    counts = dict.fromkeys(tables, 0)
    sql = _run([*command, "--data-only", "--file", "-", str(path)], env).stdout
    table = None
    for line in sql.splitlines():
        if table is None:
            if line.startswith("COPY "):
                table = line.split()[1].split(".")[-1].strip('"')
                counts.setdefault(table, 0)
        elif line == "\\.":
            table = None
        else:
            counts[table] += 1
    return counts


def verify(folder: Path) -> Check:
    """Check a backup without restoring it: every file against its checksum, and the
    database copy's rows against the manifest's counts."""
    manifest = read_manifest(folder)
    check = Check()
    database = folder / manifest["database"]["file"]
    if not database.is_file():
        check.problems.append(f"the database copy {database.name} is missing")
        return check
    if sha256(database) != manifest["database"]["sha256"]:
        check.problems.append(f"the database copy {database.name} does not match its checksum")
        return check
    if manifest["engine"] == "sqlite":
        counts = _archive_counts_sqlite(database)
    else:
        counts = _archive_counts_postgresql(database)
    _compare(check, manifest["tables"], counts, "the backup")
    _files_match(check, manifest["media"], folder / MEDIA)
    return check


# --- Restore ----------------------------------------------------------------------------


def _refuse_unless_empty() -> None:
    with connection.cursor() as cursor:
        tables = _tables(cursor)
    if tables:
        raise BackupError(
            f"The database is not empty ({len(tables)} tables): restore only into a new, "
            "empty database (create it, do not migrate it)."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if next(_files(media_root), None) is not None:
        raise BackupError(f"The media folder {media_root} is not empty: restore into an empty one.")


def restore(folder: Path) -> Check:
    """Restore a verified backup into an empty database and media folder, then check the
    result against the manifest (counts in the database, checksums of the media)."""
    before = verify(folder)
    if before.problems:
        raise BackupError("The backup does not verify: " + "; ".join(before.problems))
    manifest = read_manifest(folder)
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"This is a {manifest['engine']} backup; the database here is {connection.vendor}."
        )
    _refuse_unless_empty()
    database = folder / manifest["database"]["file"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        command, env = _pg_command("pg_restore")
        name = str(connection.settings_dict["NAME"])
        connection.close()
        _run(
            [
                *command,
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                name,
                str(database),
            ],
            env,
        )
    media_root = Path(settings.MEDIA_ROOT)
    if (folder / MEDIA).is_dir():
        shutil.copytree(folder / MEDIA, media_root, dirs_exist_ok=True)
    check = Check()
    with connection.cursor() as cursor:
        _compare(check, manifest["tables"], _count(cursor, _tables(cursor)), "the database")
    _files_match(check, manifest["media"], media_root)
    return check
