"""Late in December a lost judgment still opens its wrong case, with a provisional 30-day
backtrack (never refused for next year's missing holiday notice), shown as 暂定. The clock
is frozen relative to the seeded calendar, not the real date."""

from datetime import date

import pytest
from django.urls import reverse

from tests.clock import frozen, last_complete_year
from yifa.accountability import services
from yifa.accountability.models import WrongCase
from yifa.deadlines.models import TrackedDeadline

pytestmark = pytest.mark.django_db


def test_lost_judgment_in_december_opens_a_provisional_backtrack(world, ecase, client_for):
    last = last_complete_year()
    day = date(last, 12, 20)
    with frozen(day):
        lit = services.register_challenge(actor=world.dept_a_legal, kind="litigation", org=world.dept_a,
                                          case_number=f"（{last}）测0102行初9号", claimant="某商贸有限公司",
                                          challenged_act="行政处罚决定", filed_on=date(last, 12, 1),
                                          court_or_organ="测试县人民法院", enforcement_case=ecase,
                                          served_on=date(last, 12, 3))
        services.record_outcome(actor=world.dept_a_legal, challenge=lit, outcome="revoked", on=day)
        services.settle_appeal_periods(date(last + 1, 1, 20))  # unappealed: effective early in January
        wc = WrongCase.objects.get(litigation=lit)
        bt = wc.backtrack
        d = TrackedDeadline.objects.get(owner_type="accountability.backtrack", owner_id=str(bt.pk))
        assert d.provisional and d.waiting_for_year == last + 1
        assert (bt.due, bt.due_provisional) == (d.due, True)
        page = client_for(world.supervisor).get(reverse("accountability:wrong_case_detail", args=[wc.pk])).content.decode()
        assert "暂定" in page
