"""Each platform metric counts the right records of the unit's subtree in the period."""

from datetime import date

import pytest

from tests.assessment.helpers import closed_case
from yifa.assessment import metrics

pytestmark = pytest.mark.django_db
Y = (date(2025, 1, 1), date(2025, 12, 31))


def test_review_adoption_rate(world):
    from yifa.review.models import ReviewItem, ReviewOpinion, Suggestion

    item = ReviewItem.objects.create(org=world.dept_a, number="考核审-1", title="考核测试规范性文件",
                                     item_type="normative_document", draft_text="草案", submitted_on=date(2025, 2, 1))
    op = ReviewOpinion.objects.create(org=world.dept_a, item=item, round=1, tier="final_review",
                                      reviewer=world.supervisor, authority="-", procedure="-", content="-",
                                      conclusion="agree_modified", submitted_on=date(2025, 2, 10))
    for adoption, day in (("adopted", date(2025, 3, 1)), ("partial", date(2025, 3, 1)), ("rejected", date(2025, 3, 1)),
                          ("", None), ("adopted", date(2026, 1, 3))):
        Suggestion.objects.create(org=world.dept_a, opinion=op, quote="原文", suggestion="建议", adoption=adoption,
                                  answered_on=day)
    r = metrics.compute("review.adoption_rate", world.dept_a, *Y)
    assert (r.numerator, r.denominator) == (2, 3)
    rows = metrics.get("review.adoption_rate").records(world.dept_a, *Y)
    assert len(rows) == 3 and rows[0]["url"] == f"/review/items/{item.pk}/"
    assert metrics.compute("review.adoption_rate", world.dept_b, *Y).denominator == 0


def test_supervision_letters_and_findings(world):
    from yifa.supervision.models import Finding, OpinionLetter

    f1 = Finding.objects.create(org=world.dept_a, category="procedure", description="问题一", raised_on=date(2025, 4, 1))
    Finding.objects.create(org=world.dept_a, category="procedure", description="问题二", raised_on=date(2025, 5, 1),
                           state="corrected")
    Finding.objects.create(org=world.dept_a, category="procedure", description="问题三", raised_on=date(2025, 6, 1),
                           state="verified")
    r = metrics.compute("supervision.finding_correction_rate", world.dept_a, *Y)
    assert (r.numerator, r.denominator) == (2, 3)
    for state in ("rectifying", "accepted", "closed"):
        letter = OpinionLetter.objects.create(org=world.dept_a, issuer=world.supervision_office, title=f"意见书{state}",
                                              requirements="整改", issued_on=date(2025, 6, 1), state=state)
        letter.findings.set([f1])
    r = metrics.compute("supervision.letter_rectification_rate", world.dept_a, *Y)
    assert (r.numerator, r.denominator) == (2, 3)
    rows = metrics.get("supervision.letter_rectification_rate").records(world.dept_a, *Y)
    assert [x["counted"] for x in rows] == [False, True, True]


def test_publicity_on_time_from_tracked_deadlines_and_computed_due_dates(world):
    from yifa.deadlines.models import DeadlineRule, TrackedDeadline

    on_time = closed_case(world.dept_a, on_time=True, closed_on=date(2025, 3, 3))
    late = closed_case(world.dept_a, on_time=True, closed_on=date(2025, 3, 3))
    tracked = closed_case(world.dept_a, on_time=True, closed_on=date(2025, 3, 3))
    for c, published in ((on_time, date(2025, 3, 5)), (late, date(2025, 4, 30)), (tracked, None)):
        c.publicity_state = "published" if published else "pending"
        c.published_on = published
        c.save()
    rule = DeadlineRule.objects.get(code="penalty.publicity")
    TrackedDeadline.objects.create(owner_type="enforcement.case", owner_id=str(tracked.pk), org=world.dept_a, rule=rule,
                                   title="公示", start=date(2025, 3, 3), n=7, unit="WD", due=date(2025, 3, 12),
                                   yellow_from=date(2025, 3, 10), citation="国办发〔2018〕118号",
                                   state="missed")
    r = metrics.compute("enforcement.publicity_on_time", world.dept_a, *Y)
    assert (r.numerator, r.denominator) == (1, 3)
    notes = [x["note"] for x in metrics.get("enforcement.publicity_on_time").records(world.dept_a, *Y)]
    assert notes[0].startswith("按时公示") and notes[1].startswith("未按时公示")


def test_every_registered_metric_answers_for_an_empty_unit(world):
    for code in metrics.REGISTRY:
        r = metrics.compute(code, world.dept_b, *Y)
        assert r.available or "暂不可用" in r.reason, code
        if r.available and r.value is not None and metrics.get(code).unit == "rate":
            assert 0 <= r.value <= 1, code
