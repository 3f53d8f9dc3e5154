"""The respondent unit's answer deadlines (行政诉讼法 art. 67: 15 days; 行政复议法 arts. 48, 88:
10 working days) start when the copy of the complaint or application is received."""

from datetime import date

import pytest

from yifa.accountability import services
from yifa.deadlines.models import TrackedDeadline


@pytest.mark.django_db
def test_answer_deadlines_start_on_service(world):
    lit = services.register_challenge(actor=world.dept_a_legal, kind="litigation", org=world.dept_a,
                                      case_number="（2026）测0101行初1号", claimant="某公司", challenged_act="行政处罚决定",
                                      filed_on=date(2026, 5, 6), court_or_organ="测试县人民法院",
                                      served_on=date(2026, 5, 8))
    dl = TrackedDeadline.objects.get(rule__code="litigation.defence", owner_id=lit.pk)
    # 15 calendar days from 8 May end on Saturday 23 May: a rest day, so the period ends on Monday 25 May
    assert dl.due == date(2026, 5, 25)
    rec = services.register_challenge(actor=world.dept_a_legal, kind="reconsideration", org=world.dept_a,
                                      case_number="测复〔2026〕2号", claimant="张某", challenged_act="行政处罚决定",
                                      filed_on=date(2026, 9, 25), court_or_organ="测试县人民政府",
                                      served_on=date(2026, 9, 28))
    dl = TrackedDeadline.objects.get(rule__code="reconsideration.answer", owner_id=rec.pk)
    # 10 working days from 28 Sep 2026 skip the National Day holiday (1–7 Oct) and count the make-up workday
    assert dl.due > date(2026, 10, 9)
