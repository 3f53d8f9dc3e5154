"""Numbers written before the documents app was the only numbering authority get a
registered document; duplicates are renumbered from the unit's sequence (see
yifa.documents.legacy for the rule and why it renumbers rather than refuses)."""

from django.db import migrations

from yifa.documents.legacy import migration


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0002_seed_default_sheet"),
        ("documents", "0001_initial"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(migration(
            app_label="evaluation", model_name="Campaign", number="notice_number", document="notice",
            issuer="org", doc_type="evaluation_notice", title=lambda r: f"关于{r.title}情况的通报",
            day=lambda r: r.concluded_on or r.period_end), migrations.RunPython.noop),
    ]
