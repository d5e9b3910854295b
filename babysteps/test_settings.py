"""Settings for the test suite: the production settings with fast, local stand-ins."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + live_server

from babysteps.settings import *  # noqa: F403
from babysteps.settings import STORAGES

# Argon2 costs ~0.4 s a hash here; tests hash thousands of passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
SMS_BACKEND = "babysteps.notifications.sms.LocmemSmsBackend"
# Each test process keeps its own cache (the shared database cache of the real settings is
# tested across two processes in tests/core/test_shared_limits.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The national dashboard computes its figures afresh (tests change data between views;
# tests/national covers the snapshot on its own).
NATIONAL_SNAPSHOT_SECONDS = 0
