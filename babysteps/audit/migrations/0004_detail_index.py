"""On PostgreSQL, a GIN index on ``detail`` finds the list events that named a family
(for subject access) without reading the whole trail."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS audit_detail_gin ON audit_auditevent "
            "USING gin (detail jsonb_path_ops)",
            params=None,
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS audit_detail_gin", params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_and_triggers")]
    operations = [migrations.RunPython(create, drop)]
