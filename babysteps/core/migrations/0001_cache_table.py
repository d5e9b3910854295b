"""The rate limits (and anything else in Django's cache) live in a table every web and
worker process shares, when the cache is the database (the default): ``migrate`` makes it,
so there is no separate ``createcachetable`` step to forget."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
