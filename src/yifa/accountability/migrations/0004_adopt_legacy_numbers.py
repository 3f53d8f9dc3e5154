"""Numbers written before the documents app was the only numbering authority get a
registered document; duplicates are renumbered from the unit's sequence (see
yifa.documents.legacy for the rule and why it renumbers rather than refuses)."""

from django.db import migrations

from yifa.documents.legacy import migration


class Migration(migrations.Migration):

    dependencies = [
        ("accountability", "0003_backtrack_due_provisional"),
        ("documents", "0001_initial"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(migration(
            app_label="accountability", model_name="Recommendation", number="doc_number", document="document",
            issuer="issuer", doc_type="accountability_recommendation", title=lambda r: "错案问责建议书",
            day=lambda r: r.issued_on), migrations.RunPython.noop),
        migrations.RunPython(migration(
            app_label="accountability", model_name="Notice", number="doc_number", document="document",
            issuer="org", doc_type="notice", title=lambda r: r.title,
            day=lambda r: r.issued_on), migrations.RunPython.noop),
    ]
