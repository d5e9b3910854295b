from django.db import migrations

from babysteps.privacy.schedule import DEFAULT_SCHEDULE


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for rule in DEFAULT_SCHEDULE:
        RetentionRule.objects.get_or_create(record_class=rule["record_class"], defaults=rule)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
