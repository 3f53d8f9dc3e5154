"""行政处罚法 art. 73 ¶3: the days of a reconsideration or suit against the penalty decision
are not counted in the late-payment surcharge (art. 72). The periods come from the
accountability registry's cases linked to the enforcement case."""
from datetime import date
from decimal import Decimal

from tests.clock import frozen
from tests.enforcement.test_cases import file
from yifa.accountability import services as acc
from yifa.enforcement import selectors


def _served_fine(world, lib, **kw):
    """A ¥5,000 fine served 2026-08-26: payment due 2026-09-10 (15 CD)."""
    from yifa.deadlines import services as deadline_services

    case = file(world, lib, amount=Decimal("5000"), **kw)
    case.served_on = date(2026, 8, 26)
    case.save(update_fields=["served_on"])
    deadline_services.start_deadline(actor=None, owner=case, rule_code="penalty.payment", start=case.served_on,
                                     org=case.org, title="缴纳罚款")
    return case


def _challenge(world, case, kind, number, filed_on):
    return acc.register_challenge(actor=world.dept_a_legal, kind=kind, org=world.dept_a, case_number=number,
                                  claimant="张三丰", challenged_act="行政处罚决定", filed_on=filed_on,
                                  court_or_organ="测试县人民政府" if kind == "reconsideration" else "测试县人民法院",
                                  enforcement_case=case)


def test_one_reconsideration_period_is_left_out(world, lib):
    case = _served_fine(world, lib)
    rec = _challenge(world, case, "reconsideration", "测复〔2026〕1号", date(2026, 9, 15))
    acc.record_outcome(actor=world.dept_a_legal, challenge=rec, outcome="upheld", on=date(2026, 10, 14))
    s = selectors.late_payment_surcharge(case, date(2026, 10, 20))
    # overdue 09-11 … 10-20 = 40 days; 09-15 … 10-14 (30 days) paused; 10 counted
    assert (s.days, s.excluded_days, s.amount) == (10, 30, Decimal("1500.00"))
    assert len(s.paused) == 1 and s.paused[0].days == 30 and s.paused[0].reference == "测复〔2026〕1号"
    assert "第七十三条第三款" in s.paused_text and "不计 30 日" in s.paused_text and "行政复议" in s.paused_text
    # before the reconsideration was filed nothing is paused
    s = selectors.late_payment_surcharge(case, date(2026, 9, 14))
    assert (s.days, s.excluded_days) == (4, 0)


def test_reconsideration_then_litigation_two_periods(world, lib):
    case = _served_fine(world, lib)
    rec = _challenge(world, case, "reconsideration", "测复〔2026〕2号", date(2026, 9, 15))
    acc.record_outcome(actor=world.dept_a_legal, challenge=rec, outcome="upheld", on=date(2026, 10, 14))
    lit = _challenge(world, case, "litigation", "（2026）测行初1号", date(2026, 10, 20))
    acc.record_outcome(actor=world.dept_a_legal, challenge=lit, outcome="withdrawn", on=date(2026, 11, 5))
    s = selectors.late_payment_surcharge(case, date(2026, 11, 20))
    # overdue 09-11 … 11-20 = 71 days; 30 (reconsideration) + 17 (10-20 … 11-05) paused; the
    # days between the two (10-15 … 10-19) and after the withdrawal count: 24
    assert (s.days, s.excluded_days) == (24, 47)
    assert [p.days for p in s.paused] == [30, 17]
    assert s.amount == Decimal("3600.00")


def test_a_suit_still_running_pauses_up_to_today(world, lib):
    case = _served_fine(world, lib)
    _challenge(world, case, "litigation", "（2026）测行初2号", date(2026, 9, 15))
    s = selectors.late_payment_surcharge(case, date(2026, 10, 20))
    # 09-15 … 10-20 (36 days) paused while the first instance is pending
    assert (s.days, s.excluded_days, s.amount) == (4, 36, Decimal("600.00"))
    assert s.paused[0].end is None and "仍在进行" in s.paused_text


def test_a_judgment_in_its_appeal_period_is_not_yet_effective(world, lib):
    case = _served_fine(world, lib)
    lit = _challenge(world, case, "litigation", "（2026）测行初3号", date(2026, 9, 15))
    acc.record_outcome(actor=world.dept_a_legal, challenge=lit, outcome="upheld", on=date(2026, 10, 9),
                       served_on=date(2026, 10, 9))
    s = selectors.late_payment_surcharge(case, date(2026, 10, 20))
    assert s.excluded_days == 36  # the appeal period runs: the suit is not over


def test_an_unlinked_challenge_pauses_nothing(world, lib):
    case = _served_fine(world, lib)
    other = _served_fine(world, lib, source_case_no="OTHER")
    _challenge(world, other, "litigation", "（2026）测行初4号", date(2026, 9, 15))
    s = selectors.late_payment_surcharge(case, date(2026, 10, 20))
    assert (s.days, s.excluded_days) == (40, 0)


def test_the_case_page_and_api_show_the_days_left_out_and_why(world, lib, client_for):
    case = _served_fine(world, lib)
    rec = _challenge(world, case, "reconsideration", "测复〔2026〕3号", date(2026, 9, 15))
    acc.record_outcome(actor=world.dept_a_legal, challenge=rec, outcome="upheld", on=date(2026, 10, 14))
    c = client_for(world.officer_a)
    with frozen(date(2026, 10, 20)):
        page = c.get(f"/enforcement/cases/{case.pk}/").content.decode()
        body = c.get(f"/api/v1/enforcement/cases/{case.pk}/").json()
        listed = c.get("/api/v1/enforcement/cases/?page_size=5").json()
    assert "逾期至今 10 日" in page and "1,500.00 元" in page
    assert 'id="surcharge-paused"' in page and "不计 30 日" in page and "测复〔2026〕3号" in page
    s = body["late_payment_surcharge"]
    assert (s["days_overdue"], s["days_excluded"]) == (10, 30) and s["paused_periods"][0]["days"] == 30
    row = next(r for r in listed["results"] if r["id"] == case.pk)
    assert row["late_payment_surcharge"]["days_excluded"] == 30
