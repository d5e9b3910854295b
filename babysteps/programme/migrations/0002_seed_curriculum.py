"""Seed the standard Baby Steps curriculum (HV1, S1-S6, HV2, S7-S9)."""

from django.db import migrations

from babysteps.programme.curriculum import STANDARD_CURRICULUM, seed_curriculum


def seed(apps, schema_editor):
    seed_curriculum(apps.get_model("programme", "Component"), apps.get_model("programme", "KeyMessage"))


def unseed(apps, schema_editor):
    Component = apps.get_model("programme", "Component")
    Component.objects.filter(code__in=[c["code"] for c in STANDARD_CURRICULUM]).delete()


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
