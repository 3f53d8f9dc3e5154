"""Numbers written before the documents app was the only numbering authority get a
registered document; duplicates are renumbered from the unit's sequence (see
yifa.documents.legacy for the rule and why it renumbers rather than refuses)."""

from django.db import migrations

from yifa.documents.legacy import migration


class Migration(migrations.Migration):

    dependencies = [
        ("supervision", "0006_finding_issuer"),
        ("documents", "0001_initial"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(migration(
            app_label="supervision", model_name="OpinionLetter", number="doc_number", document="document",
            issuer="issuer", doc_type="supervision_opinion_letter", title=lambda r: r.title,
            day=lambda r: r.issued_on), migrations.RunPython.noop),
        migrations.RunPython(migration(
            app_label="supervision", model_name="SupervisionDecision", number="doc_number", document="document",
            issuer="issuer", doc_type="supervision_decision", title=lambda r: "行政执法监督决定书",
            day=lambda r: r.issued_on), migrations.RunPython.noop),
        migrations.RunPython(migration(
            app_label="supervision", model_name="Notice", number="doc_number", document="document",
            issuer="org", doc_type="notice", title=lambda r: r.title,
            day=lambda r: r.issued_on or r.created_at.date()), migrations.RunPython.noop),
    ]
