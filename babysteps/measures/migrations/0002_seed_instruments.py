"""Load the shipped instruments (EPDS, PHQ-9, GAD-7, WEMWBS, SWEMWBS)."""

from django.db import migrations

from babysteps.measures.catalogue import seed_instruments


def seed(apps, schema_editor):
    seed_instruments(
        apps.get_model("measures", "Instrument"), apps.get_model("measures", "InstrumentRevision")
    )


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
