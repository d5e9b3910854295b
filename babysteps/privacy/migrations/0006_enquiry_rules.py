from django.db import migrations

from babysteps.privacy.schedule import DEFAULT_SCHEDULE


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for rule in DEFAULT_SCHEDULE:
        if rule["record_class"].startswith("enquiry_"):
            RetentionRule.objects.get_or_create(record_class=rule["record_class"], defaults=rule)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0005_enquiry_classes")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
