"""Trigram indexes for the caseload's name search on PostgreSQL.

The search matches any part of a parent's name (``icontains``: ``UPPER(name) LIKE
UPPER('%word%')``), which a b-tree index cannot serve: nationally it read all 190,000
parents. A GIN index of the upper-cased names' trigrams (``pg_trgm``) can. Nothing on
SQLite (a small site's database scans quickly). Creating the extension needs a role allowed
to (the database owner on PostgreSQL 13+, as ``pg_trgm`` is a trusted extension).
"""

from django.db import migrations

NAMES = ("given_name", "family_name")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in NAMES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS parent_{column}_trgm ON families_parent "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS parent_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("families", "0007_parent_language")]

    operations = [migrations.RunPython(create, drop)]
