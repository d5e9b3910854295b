"""Phone numbers are stored in E.164 (+447700900123), so they are matched by equality."""

from django.db import migrations

from babysteps.core.phones import display as stored_national
from babysteps.core.phones import stored_e164


def forwards(apps, schema_editor):
    rows = apps.get_model("families", "Parent").objects.exclude(mobile="")
    for row in rows.only("pk", "mobile").iterator():
        stored = stored_e164(row.mobile)
        if stored != row.mobile:
            rows.filter(pk=row.pk).update(mobile=stored)


def backwards(apps, schema_editor):
    rows = apps.get_model("families", "Parent").objects.exclude(mobile="")
    for row in rows.only("pk", "mobile").iterator():
        rows.filter(pk=row.pk).update(mobile=stored_national(row.mobile))


class Migration(migrations.Migration):
    dependencies = [("families", "0002_weekly_tips_opt_in")]
    operations = [migrations.RunPython(forwards, backwards)]
