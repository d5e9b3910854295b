"""Phone numbers are stored in E.164 (+447700900123), so they are matched by equality."""

from django.db import migrations

from babysteps.core.phones import display as stored_national
from babysteps.core.phones import stored_e164


def forwards(apps, schema_editor):
    rows = apps.get_model("safeguarding", "SafeAndWellReferral").objects.exclude(safe_number="")
    for row in rows.only("pk", "safe_number").iterator():
        stored = stored_e164(row.safe_number)
        if stored != row.safe_number:
            rows.filter(pk=row.pk).update(safe_number=stored)


def backwards(apps, schema_editor):
    rows = apps.get_model("safeguarding", "SafeAndWellReferral").objects.exclude(safe_number="")
    for row in rows.only("pk", "safe_number").iterator():
        rows.filter(pk=row.pk).update(safe_number=stored_national(row.safe_number))


class Migration(migrations.Migration):
    dependencies = [("safeguarding", "0004_link_alert_referrals")]
    operations = [migrations.RunPython(forwards, backwards)]
