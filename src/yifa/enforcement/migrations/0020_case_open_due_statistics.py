"""PostgreSQL: extended statistics (most common values) on (is_open, due) of the cases.

`due` is set exactly when a case is open, so the planner, multiplying the two columns'
selectivities, estimated a province's overdue open cases at a few hundred when they were
115,000 (10 M cases) and sorted all of them to count the first 1,001: the province-wide
overdue list took 110 ms. With the joint statistics the estimate is right and the count
stops after 1,001 rows (4.6 ms). Other databases have nothing to do."""

from django.db import migrations

NAME = "enf_case_open_due"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE STATISTICS IF NOT EXISTS {NAME} (mcv) ON is_open, due FROM enforcement_case")
        schema_editor.execute("ANALYZE enforcement_case (is_open, due)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0019_case_onsite_collection")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
