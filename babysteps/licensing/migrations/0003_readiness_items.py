from django.db import migrations

from babysteps.licensing.readiness import seed_readiness


def seed(apps, schema_editor):
    seed_readiness(apps.get_model("licensing", "ReadinessItem"))


class Migration(migrations.Migration):
    dependencies = [("licensing", "0002_pipeline")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
