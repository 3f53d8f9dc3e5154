"""The database cache's table (settings.CACHES, the embedded default): rate limits and login
counters live there, shared by every worker process and kept across restarts. Creating it in a
migration gives fresh installs and the test database the table without an extra step; when
YIFA_CACHE_URL points to Redis, createcachetable has nothing to do."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    from django.conf import settings

    table = getattr(settings, "CACHE_TABLE", "yifa_cache")
    if table in schema_editor.connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
