"""A GIN index on the stored search vector, on PostgreSQL only.

The index is not declared in ``Initiative.Meta.indexes`` because SQLite cannot create GIN indexes;
this migration creates it where the database can, and is a no-op elsewhere.
"""

from django.db import migrations

INDEX = "stock_init_search_gin_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON stocktaking_initiative USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [("stocktaking", "0002_moderation_fields_and_search_vector")]

    operations = [migrations.RunPython(create_index, drop_index)]
