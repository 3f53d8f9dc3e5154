"""Numbers written before the documents app was the only numbering authority get a
registered document; duplicates are renumbered from the unit's sequence (see
yifa.documents.legacy for the rule and why it renumbers rather than refuses)."""

from django.db import migrations

from yifa.documents.legacy import migration


class Migration(migrations.Migration):

    dependencies = [
        ("review", "0002_tier_deadline_rules"),
        ("documents", "0001_initial"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(migration(
            app_label="review", model_name="ReviewItem", number="letter_number", document="letter_document_id",
            issuer="advisor_office", doc_type="review_opinion_letter",
            title=lambda r: f"关于《{r.title}》的合法性审查意见书",
            day=lambda r: r.issued_on or r.submitted_on), migrations.RunPython.noop),
    ]
