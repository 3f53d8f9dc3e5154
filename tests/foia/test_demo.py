"""The foia demo: a county-sized handful of requests in every state, loaded through the
services (tracked deadlines included), on any real date and on a frozen one."""

from datetime import date

import pytest

from tests.clock import frozen
from yifa.deadlines.models import DeadlineState
from yifa.deadlines.selectors import deadlines_for_owner

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("today", [None, date(2026, 1, 5), date(2025, 10, 9)])
def test_demo_loader(db, today):
    from yifa.orgs import demo as org_demo
    from yifa.supervision.foia import demo
    from yifa.supervision.foia.models import InfoRequest, RequestState
    from yifa.supervision.foia.selectors import overdue_q

    def run():
        from yifa.core import clock

        ctx, msgs = {}, []
        org_demo.load(ctx, msgs.append)
        demo.load(ctx, msgs.append)
        return clock.today(), msgs

    if today is None:
        day, msgs = run()
    else:
        with frozen(today):
            day, msgs = run()
    qs = InfoRequest.objects.all()
    assert 20 <= qs.count() <= 40 and "政府信息公开申请" in msgs[-1]
    assert qs.filter(state=RequestState.REPLIED).count() >= 10
    assert qs.filter(state=RequestState.WITHDRAWN).count() == 1
    assert qs.filter(correction_notice_on__isnull=False).count() == 4
    assert qs.filter(third_party_asked_on__isnull=False).count() == 3
    assert qs.filter(extended=True).count() == 1
    assert qs.filter(overdue_q(day)).count() >= 2
    for r in qs.filter(state=RequestState.REPLIED):
        d = deadlines_for_owner(r).filter(rule__code="foia.reply").order_by("-id").first()
        assert d.state in (DeadlineState.MET, DeadlineState.MISSED) and d.closed_on == r.replied_on
