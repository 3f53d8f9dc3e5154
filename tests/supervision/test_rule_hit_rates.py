"""Hit rate per rule: raised / confirmed / dismissed / open and the confirmation rate over a
period, in the viewer's scope; a rule's page shows its top dismissal reasons."""

from datetime import date

import pytest

from yifa.enforcement.models import Case, EnforcementItem
from yifa.supervision import selectors
from yifa.supervision.models import Clue, ClueState

pytestmark = pytest.mark.django_db


@pytest.fixture
def clues(world):
    n = [0]
    item = EnforcementItem.objects.create(org=world.dept_a, code="HR-I", name="命中率测试事项", category="penalty",
                                          legal_basis="《测试条例》")

    def case(org):
        n[0] += 1
        return Case.objects.create(org=org, case_no=f"HR-{n[0]}", title=f"HR-{n[0]}案由", party_name="某公司", item=item,
                                   party_kind="organisation", filed_on=date(2026, 3, 1), source_case_no=f"HR-{n[0]}")

    def clue(org, state, raised_on=date(2026, 6, 1), code="records.missing", reason=""):
        return Clue.objects.create(org=org, rule_code=code, case=case(org), raised_on=raised_on, state=state,
                                   dismiss_reason=reason)

    a = world.dept_a
    for _ in range(3):
        clue(a, ClueState.CONFIRMED)
    clue(a, ClueState.DISMISSED, reason="已补录记录")
    clue(a, ClueState.DISMISSED, reason="已补录记录")
    clue(a, ClueState.DISMISSED, reason="简易程序无需")
    clue(a, ClueState.OPEN)
    clue(a, ClueState.CONFIRMED, raised_on=date(2025, 6, 1))  # last year: outside the default period
    clue(world.dept_b, ClueState.DISMISSED, reason="他单位的理由")
    clue(world.dept_b, ClueState.OPEN)


def _row(rows, code):
    return next(r for r in rows if r["rule"].code == code)


def test_counts_and_rate_in_scope_and_period(world, clues):
    sup = _row(selectors.rules_with_counts(world.supervisor, date(2026, 1, 1), date(2026, 12, 31)), "records.missing")
    assert (sup["total"], sup["confirmed"], sup["dismissed"], sup["open"]) == (9, 3, 4, 2)
    assert sup["rate"] == round(100 * 3 / 7, 1)
    a = _row(selectors.rules_with_counts(world.dept_a_legal, date(2026, 1, 1), date(2026, 12, 31)), "records.missing")
    assert (a["total"], a["confirmed"], a["dismissed"], a["open"], a["rate"]) == (7, 3, 3, 1, 50.0)
    whole = _row(selectors.rules_with_counts(world.dept_a_legal), "records.missing")
    assert whole["confirmed"] == 4
    quiet = _row(selectors.rules_with_counts(world.dept_a_legal), "deadline.overdue")
    assert (quiet["total"], quiet["rate"]) == (0, None)


def test_one_grouped_query(world, clues, django_assert_num_queries):
    """One grouped query over the clues, whatever the number of rules (the user's scope is
    read once per user and kept)."""
    selectors.rules_with_counts(world.supervisor)
    with django_assert_num_queries(1):
        selectors.rules_with_counts(world.supervisor, date(2026, 1, 1), date(2026, 12, 31))


def test_dismissal_reasons_top_first_and_scoped(world, clues):
    rows = selectors.dismissal_reasons(world.dept_a_legal, "records.missing")
    assert [(r["dismiss_reason"], r["n"]) for r in rows] == [("已补录记录", 2), ("简易程序无需", 1)]


def test_period_defaults_to_this_year_and_refuses_bad_dates(settings):
    from yifa.core.errors import DomainError

    start, end = selectors.rule_period(None, "")
    assert start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31 and start.year == end.year
    with pytest.raises(DomainError, match="起始日期格式不正确"):
        selectors.rule_period("2026-13-01", None)
    with pytest.raises(DomainError, match="不能早于"):
        selectors.rule_period("2026-06-01", "2026-01-01")


def test_pages_and_api_show_hit_rates(world, clues, client_for):
    page = client_for(world.dept_a_legal).get("/supervision/rules/?from=2026-01-01&to=2026-12-31").content.decode()
    assert "50.0%" in page and "尚无处理" in page
    detail = client_for(world.dept_a_legal).get(
        "/supervision/rules/records.missing/?from=2026-01-01&to=2026-12-31").content.decode()
    assert "已补录记录" in detail and "他单位的理由" not in detail and "HR-" in detail
    api = client_for(world.supervisor).get("/api/v1/supervision/rules/?from=2026-01-01&to=2026-12-31")
    row = next(r for r in api.json() if r["code"] == "records.missing")
    assert (row["clues"], row["confirmed"], row["dismissed"], row["open"]) == (9, 3, 4, 2)
    assert row["confirmation_rate"] == round(100 * 3 / 7, 1) and row["citation"] and row["severity_label"]
    one = client_for(world.dept_b_legal).get("/api/v1/supervision/rules/records.missing/?from=2026-01-01").json()
    assert one["clues"] == 2 and one["dismissal_reasons"] == [{"reason": "他单位的理由", "count": 1}]
    assert len(one["recent_clues"]) == 2
    assert client_for(world.supervisor).get("/api/v1/supervision/rules/?from=bad").status_code == 400
