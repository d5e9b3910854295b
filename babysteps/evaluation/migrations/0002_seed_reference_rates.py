from django.db import migrations

from babysteps.evaluation.reference import DEFAULT_REFERENCE_RATES


def seed(apps, schema_editor):
    ReferenceRate = apps.get_model("evaluation", "ReferenceRate")
    for rate in DEFAULT_REFERENCE_RATES:
        ReferenceRate.objects.get_or_create(outcome=rate["outcome"], defaults=rate)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_reference_rates")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
