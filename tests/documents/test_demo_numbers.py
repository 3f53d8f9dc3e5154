"""After the demo loaders, no unit uses a 文号 twice and every number shown on a record is
its issued document's (the demo once had 83 duplicates: review letters typed with random
serials, paper 问责建议书 numbered by a counter of their own)."""

import pytest

pytestmark = pytest.mark.django_db


def test_demo_loaders_leave_no_duplicate_numbers(_fast_hashers, monkeypatch, settings, tmp_path):
    from yifa.accountability import demo as accountability_demo
    from yifa.accountability.models import Recommendation
    from yifa.deadlines import demo as deadlines_demo
    from yifa.documents import selectors, services
    from yifa.enforcement import demo as enforcement_demo
    from yifa.orgs import demo as orgs_demo
    from yifa.review import demo as review_demo
    from yifa.review.models import ReviewItem
    from yifa.supervision import demo as supervision_demo
    from yifa.supervision.models import OpinionLetter

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(services, "render_docx", lambda c: f"PK {c.doc_number}".encode())
    monkeypatch.setattr(services, "render_pdf", lambda c: f"%PDF {c.doc_number}".encode())
    ctx, say = {}, (lambda m: None)
    orgs_demo.load(ctx, say)
    deadlines_demo.load(ctx, say)
    review_demo.load(ctx, say)
    enforcement_demo.build(ctx, say, per_day=1.0)
    supervision_demo.load(ctx, say)
    accountability_demo.load(ctx, say)

    result = selectors.check_numbers()
    assert result.ok, (result.duplicates[:3], result.unbacked[:3], result.mismatched[:3])
    # the paper letters are there, and numbered by the documents app
    assert ReviewItem.objects.exclude(letter_number="").filter(letter_document_id__isnull=False).count() > 100
    assert OpinionLetter.objects.filter(document__docx_file="").count() == 43
    assert Recommendation.objects.filter(document__isnull=False).count() == Recommendation.objects.count() > 1

    # the accountability demo shows the appeal stage: a first-instance loss awaiting
    # effectiveness (no wrong case yet) and one reversed on appeal (no wrong case)
    from yifa.accountability.models import Litigation, WrongCase

    awaiting = Litigation.objects.filter(appeal_state="awaiting", outcome__in=["revoked", "confirmed_illegal"])
    assert awaiting.exists() and not WrongCase.objects.filter(litigation__in=awaiting).exists()
    reversed_ = Litigation.objects.filter(appeal_state="effective", second_outcome="upheld",
                                          outcome__in=["revoked", "confirmed_illegal", "changed", "ordered_perform"])
    assert reversed_.exists() and not WrongCase.objects.filter(litigation__in=reversed_).exists()
    lost = WrongCase.objects.filter(trigger="litigation_lost").select_related("litigation")
    assert lost.count() == 36 and all(w.opened_on == w.litigation.effective_on for w in lost)
