"""The claimant's own time limit on a registered challenge (行政复议法 art. 20; 行政诉讼法 arts.
45, 46; 行诉法解释 art. 64): counted by the deadline engine from the day the claimant knew of
the act (or received the reconsideration decision), one year at most when the right and the
period were not notified; the unit sees whether the suit or application came too late."""
from datetime import date

import pytest

from tests.clock import frozen
from yifa.accountability import selectors, services
from yifa.accountability.models import Litigation, Reconsideration
from yifa.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _register(world, kind="reconsideration", number="期限1号", **kw):
    base = dict(actor=world.dept_a_legal, kind=kind, org=world.dept_a, case_number=number, claimant="张某",
                challenged_act="行政处罚决定", filed_on=date(2026, 9, 15), court_or_organ="测试县人民政府")
    base.update(kw)
    return services.register_challenge(**base)


def test_reconsideration_sixty_days_rolled_past_a_sunday(world):
    # 07-01 + 60 days = 08-30, a Sunday: the period ends on Monday 08-31
    on_time = _register(world, number="期限1号", known_on=date(2026, 7, 1), applied_on=date(2026, 8, 31))
    f = selectors.filing_limit(on_time)
    assert (f.rule, f.due, f.late) == ("reconsideration.application", date(2026, 8, 31), False)
    assert "在期限内" in f.text and "2026-08-31" in f.text
    late = _register(world, number="期限2号", known_on=date(2026, 7, 1), applied_on=date(2026, 9, 1))
    f = selectors.filing_limit(late)
    assert f.late is True and "已超过期限" in f.text


def test_not_notified_gives_one_year_from_knowing_the_act(world):
    rec = _register(world, known_on=date(2025, 9, 1), applied_on=date(2026, 8, 20), remedy_notified=False)
    f = selectors.filing_limit(rec)
    assert (f.rule, f.due, f.late) == ("reconsideration.application_unnotified", date(2026, 9, 1), False)


def test_suit_after_reconsideration_fifteen_days_across_national_day(world):
    # decision received Sunday 09-20; 15 days end on 10-05 inside 国庆 (10-01…10-07): 10-08
    lit = _register(world, kind="litigation", court_or_organ="测试县人民法院", filed_on=date(2026, 10, 12),
                    known_on=date(2026, 6, 1), reconsideration_decision_on=date(2026, 9, 20),
                    applied_on=date(2026, 10, 8))
    f = selectors.filing_limit(lit)
    assert (f.rule, f.due, f.late) == ("litigation.after_reconsideration", date(2026, 10, 8), False)


def test_direct_suit_six_months_late_is_shown_on_the_page(world, client_for):
    lit = _register(world, kind="litigation", court_or_organ="测试县人民法院", known_on=date(2026, 3, 10),
                    applied_on=date(2026, 9, 11))
    f = selectors.filing_limit(lit)
    assert (f.rule, f.due, f.late) == ("litigation.filing", date(2026, 9, 10), True)
    with frozen(date(2026, 9, 20)):
        page = client_for(world.dept_a_legal).get(f"/accountability/litigations/{lit.pk}/").content.decode()
    assert 'id="filing-limit"' in page and "起诉日期 2026-09-11 已超过期限" in page and "text-danger" in page


def test_missing_date_is_said_and_blocks_nothing(world):
    rec = _register(world)
    f = selectors.filing_limit(rec)
    assert f.late is None and f.due is None and "无法判断" in f.text


@pytest.mark.parametrize("kw, field", [
    (dict(known_on=date(2026, 9, 10), applied_on=date(2026, 9, 5)), "known_on"),
    (dict(applied_on=date(2026, 9, 20)), "applied_on"),
    (dict(reconsideration_decision_on=date(2026, 9, 1)), "reconsideration_decision_on"),
])
def test_inconsistent_dates_are_refused_and_nothing_is_written(world, kw, field):
    with pytest.raises(DomainError) as exc:
        _register(world, **kw)
    assert field in exc.value.fields
    assert not Reconsideration.objects.filter(case_number="期限1号").exists()


def test_api_detail_has_it_the_list_leaves_it_out(world, client_for):
    c = client_for(world.dept_a_legal)
    base = "/api/v1/accountability/litigations/"
    with frozen(date(2026, 9, 20)):
        r = c.post(base, {"org": world.dept_a.pk, "case_number": "期限API", "claimant": "甲公司",
                          "challenged_act": "罚款", "court_or_organ": "测试县人民法院", "filed_on": "2026-09-15",
                          "applied_on": "2026-09-11", "known_on": "2026-03-10"}, content_type="application/json")
        assert r.status_code == 201, r.json()
        pk = r.json()["id"]
        detail = c.get(f"{base}{pk}/").json()
        listed = c.get(base).json()
    assert detail["filing_limit"]["late"] is True and detail["filing_limit"]["due"] == "2026-09-10"
    assert detail["known_on"] == "2026-03-10" and Litigation.objects.get(pk=pk).applied_on == date(2026, 9, 11)
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows and all("filing_limit" not in row for row in rows)
