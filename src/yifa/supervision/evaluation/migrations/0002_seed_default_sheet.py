"""The default scoring sheet (a local default, editable): see evaluation/defaults.py."""

from django.db import migrations


def seed_default_sheet(apps, schema_editor):
    from yifa.supervision.evaluation.defaults import seed_default_sheet as seed

    seed(apps.get_model("evaluation", "ScoringSheet"), apps.get_model("evaluation", "SheetItem"))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(seed_default_sheet, migrations.RunPython.noop)]
