"""Issue 16 §1: the time limits the engine did not know, each with a case that crosses the
2026 National Day holiday (10-01…10-07, make-up working days 09-20 and 10-10), and the
policy on maximum-duration and minimum periods."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from yifa.deadlines import engine

pytestmark = pytest.mark.django_db

CASES = [
    # code, start, due — each crossing 国庆 2026
    ("reconsideration.simple_decision", date(2026, 9, 1), date(2026, 10, 8)),   # 30 CD → 10-01, rolled
    ("reconsideration.simple_answer", date(2026, 9, 28), date(2026, 10, 10)),   # 5 WD, the make-up Saturday counts
    ("reconsideration.application_unnotified", date(2025, 10, 1), date(2026, 10, 8)),  # one year → 10-01, rolled
    ("litigation.filing_unnotified", date(2025, 10, 1), date(2026, 10, 8)),
    ("judgment.appeal", date(2026, 9, 16), date(2026, 10, 8)),                  # 15 CD → 10-01, rolled
    ("ruling.appeal", date(2026, 9, 21), date(2026, 10, 8)),                    # 10 CD → 10-01, rolled
    ("penalty.onsite_handover", date(2026, 9, 30), date(2026, 10, 9)),          # 2 WD after the holiday
    ("penalty.limitation", date(2024, 10, 1), date(2026, 10, 8)),               # two years → 10-01, rolled
    ("penalty.limitation_major", date(2021, 10, 3), date(2026, 10, 8)),         # five years
    ("coercion.court_application", date(2026, 7, 1), date(2026, 10, 8)),        # three months → 10-01, rolled
    ("coercion.notice_wait", date(2026, 9, 24), date(2026, 10, 15)),            # at least 10 WD (中秋 and 国庆 skipped)
    ("permit.joint_decision", date(2026, 9, 1), date(2026, 11, 9)),             # 45 WD
    ("foia.correction", date(2026, 9, 30), date(2026, 10, 15)),                 # 7 WD
    ("foia.third_party", date(2026, 9, 30), date(2026, 10, 27)),                # 15 WD
]


@pytest.mark.parametrize("code,start,due", CASES, ids=[c[0] for c in CASES])
def test_new_rules_cross_the_national_day_holiday(code, start, due):
    result = engine.compute(code, start)
    assert result.due == due
    assert result.basis and not result.waiting_for_year


def test_maximum_duration_does_not_roll_forward_past_holidays():
    """查封扣押 / 冻结: the measure must end by day 30 even on a holiday (no roll forward);
    a processing period ending on the same day rolls forward to the next working day."""
    seizure = engine.compute("coercion.seizure", date(2026, 9, 5))
    freezing = engine.compute("coercion.freezing", date(2026, 9, 5))
    assert seizure.due == freezing.due == date(2026, 10, 5)  # 国庆 holiday, not moved
    assert seizure.direction == "duration"
    assert engine.compute("coercion.freezing", date(2026, 9, 5), extensions=1).due == date(2026, 11, 4)
    processing = engine.compute("reconsideration.simple_decision", date(2026, 9, 5))  # 30 CD as well
    assert processing.due == date(2026, 10, 8)


def test_a_minimum_period_never_ends_on_a_rest_day():
    # 公开征求意见不少于30日: started 09-01, the 30th day is 10-01 (holiday) → earliest end 10-08
    assert engine.compute("decision.public_comment.min", date(2026, 9, 1)).due == date(2026, 10, 8)


def test_corrected_citations():
    from yifa.deadlines.models import DeadlineRule

    assert "第八十五条" in DeadlineRule.objects.get(code="penalty.hearing_notice").basis
    assert "第八十五条" in DeadlineRule.objects.get(code="penalty.publicity_withdraw").basis
    assert "第二十六条" in DeadlineRule.objects.get(code="review.major_decision.min").basis


@pytest.mark.parametrize("code", [c[0] for c in CASES] + ["coercion.seizure", "coercion.freezing"])
def test_the_calculator_answers_every_new_code(code):
    out = StringIO()
    call_command("deadline", code, "2026-09-30", stdout=out)
    text = out.getvalue()
    assert code in text and "依据" in text
