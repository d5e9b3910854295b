"""Settings come from the environment; production refuses unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    drop = {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in drop}
    base.update({"DJANGO_SETTINGS_MODULE": "babysteps.settings", **env})
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "babysteps.example"}, "SECRET_KEY"),
        ({}, "SECRET_KEY, ALLOWED_HOSTS"),
    ],
)
def test_production_without_secrets_stops_with_a_clear_message(env, missing):
    result = _run({"DJANGO_ENV": "production", **env}, "check")
    assert result.returncode != 0
    assert f"needs these environment variables set: {missing}" in result.stderr


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = _run(
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": "a-long-random-production-secret-key-" + "q8Zr!" * 10,
            "ALLOWED_HOSTS": "babysteps.example",
            "BABYSTEPS_VAR_DIR": str(tmp_path),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_demo_is_refused_in_production(tmp_path):
    result = _run(
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": "k" * 60,
            "ALLOWED_HOSTS": "babysteps.example",
            "BABYSTEPS_VAR_DIR": str(tmp_path),
        },
        "demo",
    )
    assert result.returncode != 0
    assert "cannot be loaded with DJANGO_ENV=production" in result.stderr


def test_debug_is_off_unless_asked():
    result = _run(
        {}, "shell", "-v", "0", "-c", "from django.conf import settings; print(settings.DEBUG)"
    )
    assert result.stdout.strip() == "False"
    result = _run(
        {"DEBUG": "true"},
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
    )
    assert result.stdout.strip() == "True"


def test_sqlite_is_the_default_in_wal_mode(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(connection.vendor, c.fetchone()[0])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="babysteps.settings", BABYSTEPS_VAR_DIR=str(tmp_path))
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["sqlite", "wal"], result.stderr
    assert (tmp_path / "babysteps.sqlite3").exists()


def test_test_settings_use_a_fast_hasher_and_production_argon2():
    from django.conf import settings

    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    result = _run(
        {},
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])",
    )
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_sqlite_through_database_url_keeps_wal_and_immediate_transactions(tmp_path):
    code = (
        "from django.db import connection; from django.conf import settings; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); "
        "o = settings.DATABASES['default']['OPTIONS']; "
        "print(c.fetchone()[0], o['transaction_mode'], o['timeout'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="babysteps.settings",
        BABYSTEPS_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'other.sqlite3'}",
    )
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["wal", "IMMEDIATE", "20"], result.stderr


def test_a_production_start_without_the_static_manifest_says_why(settings, tmp_path):
    """gunicorn.conf.py's on_starting refuses to start with this message."""
    from babysteps.core.startup import missing_static_manifest

    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    assert "collectstatic" in missing_static_manifest()
    (tmp_path / "staticfiles.json").write_text("{}")
    assert missing_static_manifest() == ""
    settings.DEBUG = True
    (tmp_path / "staticfiles.json").unlink()
    assert missing_static_manifest() == ""  # development serves the files as they are


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "pool 10 0"),  # Django's psycopg pool; persistent connections are the pool's job
        ({"DATABASE_POOL": "false"}, "none 0 60"),
        ({"DATABASE_POOL_MAX_SIZE": "20"}, "pool 20 0"),
    ],
)
def test_postgresql_connections_are_pooled_by_default(env, expected):
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "p = d.get('OPTIONS', {}).get('pool'); "
        "print('pool' if p else 'none', p['max_size'] if p else 0, d['CONN_MAX_AGE'])"
    )
    result = _run(
        {"DATABASE_URL": "postgres://nobody@127.0.0.1:5432/not_connected", **env},
        "shell",
        "-v",
        "0",
        "-c",
        code,
    )
    assert result.stdout.strip() == expected, result.stderr


def test_object_storage_is_a_private_bucket_with_short_lived_signed_urls():
    code = (
        "from django.conf import settings; o = settings.STORAGES['default']['OPTIONS']; "
        "print(settings.STORAGES['default']['BACKEND'], o['bucket_name'], o['default_acl'], "
        "o['querystring_auth'], o['querystring_expire'])"
    )
    env = {"MEDIA_STORAGE": "s3", "S3_BUCKET": "media", "VIDEO_SIGNED_URL_SECONDS": "300"}
    result = _run({**env, "VIDEO_SERVE": "redirect"}, "shell", "-v", "0", "-c", code)
    assert result.stdout.split() == [
        "storages.backends.s3.S3Storage",
        "media",
        "private",
        "True",
        "300",
    ], result.stderr


def test_signed_redirects_need_object_storage():
    result = _run({"VIDEO_SERVE": "redirect"}, "check")
    assert result.returncode != 0
    assert "needs MEDIA_STORAGE=s3" in result.stderr


def test_development_pages_work_without_collectstatic(tmp_path):
    """DEBUG off, no collectstatic: the sign-in page and its stylesheet are served (the
    manifest storage, production's, would make every page an error)."""
    code = (
        "from django.test import Client; from django.conf import settings; c = Client(); "
        "page = c.get('/accounts/sign-in/'); css = c.get('/static/babysteps/app.css'); "
        "print(settings.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[1], "
        "page.status_code, css.status_code, b'app.css' in page.content)"
    )
    result = _run(
        {
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver",
            "BABYSTEPS_VAR_DIR": str(tmp_path),
            "STATIC_ROOT": str(tmp_path / "static-never-collected"),
        },
        "shell",
        "-v",
        "0",
        "-c",
        code,
    )
    assert result.stdout.split() == ["StaticFilesStorage", "200", "200", "True"], result.stderr
