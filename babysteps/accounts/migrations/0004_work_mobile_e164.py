"""Phone numbers are stored in E.164 (+447700900123), so they are matched by equality."""

from django.db import migrations

from babysteps.core.phones import display as stored_national
from babysteps.core.phones import stored_e164


def forwards(apps, schema_editor):
    rows = apps.get_model("accounts", "User").objects.exclude(work_mobile="")
    for row in rows.only("pk", "work_mobile").iterator():
        stored = stored_e164(row.work_mobile)
        if stored != row.work_mobile:
            rows.filter(pk=row.pk).update(work_mobile=stored)


def backwards(apps, schema_editor):
    rows = apps.get_model("accounts", "User").objects.exclude(work_mobile="")
    for row in rows.only("pk", "work_mobile").iterator():
        rows.filter(pk=row.pk).update(work_mobile=stored_national(row.work_mobile))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_work_mobile")]
    operations = [migrations.RunPython(forwards, backwards)]
