"""The supervision demo loader: the speech's figures, computed (not typed) from the rows."""

from datetime import date

import pytest

pytestmark = pytest.mark.django_db


def test_demo_loader(db):
    from yifa.enforcement import demo as enf_demo
    from yifa.orgs import demo as org_demo
    from yifa.supervision import demo
    from yifa.supervision.models import Clue, DecisionState, Finding, LetterState, Notice, OpinionLetter
    from yifa.supervision.selectors import supervision_metrics

    ctx, msgs = {}, []
    org_demo.load(ctx, msgs.append)
    enf_demo.load(ctx, msgs.append)
    demo.load(ctx, msgs.append)
    from yifa.core import clock

    today = clock.today()
    last_year = demo.history_year(today)  # the year before today, or before that early in the year
    assert last_year == today.year - 1 or today.month <= 4
    m = supervision_metrics(start=date(last_year, 1, 1), end=date(last_year, 12, 31))
    assert m["special_inspections"] == 6 and m["findings"] == 47 and m["findings_corrected"] == 47
    assert m["letters_issued"] == 43 and m["letters_rectified"] == 43 and m["rectification_rate"] == 100.0
    open_letters = OpinionLetter.objects.filter(state__in=(LetterState.RECTIFYING, LetterState.SUBMITTED))
    assert open_letters.filter(tier="opinion").count() == 4  # three issued directly, one escalated from a 通知书
    notices = OpinionLetter.objects.filter(tier="notice")
    assert notices.filter(state=LetterState.RECTIFYING).count() == 1
    assert notices.get(state=LetterState.ESCALATED).escalated_to.state == LetterState.RECTIFYING
    assert OpinionLetter.objects.filter(state=LetterState.ESCALATED, decision__state=DecisionState.ISSUED).count() == 1
    assert open_letters.filter(state=LetterState.RECTIFYING, due__lt=today).count() == 1
    assert all(lt.document_id for lt in open_letters)
    assert Notice.objects.filter(state="issued").count() == 1
    assert Finding.objects.filter(typical=True).count() == 3
    assert Clue.objects.filter(rule_code="fines.repeated").count() == 3
    assert Clue.objects.filter(rule_code="discretion.outside_benchmark").exists()
    assert Clue.objects.filter(state="confirmed").count() == 2 and Clue.objects.filter(state="dismissed").count() == 1
    assert any("线上监督" in s for s in msgs)
    # every case-process rule finds something in the demo county, at a county's rate
    from tests.supervision.test_rules_process import PROCESS_RULES

    for code in PROCESS_RULES:
        assert 1 <= Clue.objects.filter(rule_code=code).count() <= 60, code
    assert any("办案程序问题示例" in s for s in msgs)
