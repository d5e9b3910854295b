"""Load the instruments added for the 2015 evaluation's domains: the Rosenberg Self-Esteem
Scale and the CSI-4 (active), and Condon's attachment scales (inactive until their keying
is confirmed). Existing instruments are left as they are."""

from django.db import migrations

from babysteps.measures.catalogue import seed_instruments


def seed(apps, schema_editor):
    seed_instruments(
        apps.get_model("measures", "Instrument"), apps.get_model("measures", "InstrumentRevision")
    )


class Migration(migrations.Migration):
    dependencies = [("measures", "0002_seed_instruments")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
