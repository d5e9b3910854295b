"""Seed the starting list of referral reasons (editable afterwards in the admin)."""

from django.db import migrations

from babysteps.safeguarding.reasons import seed_reasons


def seed(apps, schema_editor):
    seed_reasons(apps.get_model("safeguarding", "ReferralReason"))


class Migration(migrations.Migration):
    dependencies = [("safeguarding", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
