"""Run in a separate process against a restored database and media folder: signs in as
the demo's NSPCC admin, fetches each published video file through the app, and prints
the SHA-256 of what it served, then checks the audit chain (used by test_backup.py)."""

import hashlib
import json

import django

django.setup()

from django.core.management import call_command  # noqa: E402 - after django.setup()
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_static.models import StaticDevice  # noqa: E402

from babysteps.accounts.models import User  # noqa: E402
from babysteps.videos.models import Video  # noqa: E402

admin = User.objects.get(email="admin@nspcc.demo")
client = Client()
client.force_login(admin)
device, _ = StaticDevice.objects.get_or_create(user=admin, name="probe")
session = client.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()
served = {}
for video in Video.objects.exclude(current_version=None).select_related("current_version"):
    version = video.current_version
    response = client.get(f"/videos/{video.pk}/versions/{version.pk}/file/")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    served[version.file.name] = [response.status_code, hashlib.sha256(body).hexdigest()]
call_command("audit_verify")
print(json.dumps(served))
