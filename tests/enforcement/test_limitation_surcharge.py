"""行政处罚法 art. 36 (limitation checked at filing) and art. 72 (late-payment surcharge
computed and shown on an unpaid case)."""

from datetime import date
from decimal import Decimal

import pytest

from tests.clock import frozen
from tests.enforcement.test_cases import file, move
from yifa.core.errors import DomainError
from yifa.enforcement import selectors
from yifa.enforcement.models import Case

pytestmark = pytest.mark.django_db


def test_an_act_beyond_two_years_cannot_be_filed_for_a_penalty(world, lib):
    with pytest.raises(DomainError) as exc:
        file(world, lib, act_on=date(2024, 7, 1))  # filed 2026-08-03: the limit ended 2026-07-01
    assert "第三十六条" in exc.value.message and "二年" in exc.value.message and "act_on" in exc.value.fields
    assert not Case.objects.filter(title="销售不合格电线").exists()


def test_the_limit_crosses_a_holiday_and_counts_from_discovery(world, lib):
    # the two years from 2024-10-01 end on 2026-10-01 (国庆) and roll to 2026-10-08
    case = file(world, lib, act_on=date(2024, 10, 1), discovered_on=date(2026, 10, 8), filed_on=date(2026, 10, 9),
                source_case_no="L1")
    assert case.act_on == date(2024, 10, 1)
    with pytest.raises(DomainError, match="二年追责时效"):
        file(world, lib, act_on=date(2024, 10, 1), discovered_on=date(2026, 10, 9), filed_on=date(2026, 10, 9),
             source_case_no="L2")


def test_five_years_where_life_health_or_financial_safety_is_involved(world, lib):
    case = file(world, lib, act_on=date(2022, 9, 1), limitation_five_years=True, source_case_no="L3")
    assert case.limitation_five_years
    with pytest.raises(DomainError, match="五年"):
        file(world, lib, act_on=date(2021, 7, 1), limitation_five_years=True, source_case_no="L4")


def test_without_an_act_date_nothing_is_refused_and_the_page_says_so(world, lib, client_for):
    case = file(world, lib)
    page = client_for(world.officer_a).get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "未填写违法行为发生日期，无法核对追责时效" in page


def test_act_after_discovery_is_refused(world, lib):
    with pytest.raises(DomainError, match="不能晚于发现日期"):
        file(world, lib, act_on=date(2026, 8, 5))




def test_surcharge_three_percent_a_day_capped_at_the_fine(world, lib):
    from yifa.deadlines import services as deadline_services

    case = file(world, lib, amount=Decimal("5000"))
    case.served_on = date(2026, 8, 26)
    case.save(update_fields=["served_on"])
    deadline_services.start_deadline(actor=None, owner=case, rule_code="penalty.payment", start=case.served_on,
                                     org=case.org, title="缴纳罚款")
    # 15 CD from 08-26 → 09-10; on 09-10 nothing is owed yet
    s = selectors.late_payment_surcharge(case, date(2026, 9, 10))
    assert s.due == date(2026, 9, 10) and s.days == 0 and s.amount == 0 and s.text == ""
    s = selectors.late_payment_surcharge(case, date(2026, 9, 14))
    assert s.days == 4 and s.amount == Decimal("600.00") and not s.capped  # 5000 × 3% × 4
    assert "600.00" in s.text and "第七十二条" in s.text
    s = selectors.late_payment_surcharge(case, date(2026, 12, 31))
    assert s.amount == Decimal("5000") and s.capped  # never more than the fine
    # paid late: counted to the day of payment
    case.paid_on = date(2026, 9, 12)
    s = selectors.late_payment_surcharge(case, date(2026, 12, 31))
    assert s.days == 2 and s.amount == Decimal("300.00") and "2026-09-12" in s.text


def test_surcharge_on_the_case_page_and_api(world, lib, client_for):
    from yifa.deadlines import services as deadline_services

    case = file(world, lib, amount=Decimal("1000"))
    case.served_on = date(2026, 8, 26)
    case.save(update_fields=["served_on"])
    deadline_services.start_deadline(actor=None, owner=case, rule_code="penalty.payment", start=case.served_on,
                                     org=case.org, title="缴纳罚款")
    c = client_for(world.officer_a)
    with frozen(date(2026, 9, 20)):
        page = c.get(f"/enforcement/cases/{case.pk}/").content.decode()
        body = c.get(f"/api/v1/enforcement/cases/{case.pk}/").json()
    assert "逾期至今 10 日" in page and "300.00 元" in page
    assert body["late_payment_surcharge"]["days_overdue"] == 10 and body["late_payment_surcharge"]["amount"] == "300.00"
    assert client_for(world.officer_a).get("/api/v1/enforcement/cases/?page_size=5").status_code == 200


def test_hearing_notice_through_the_api(world, lib, client_for):
    case = file(world, lib, source_case_no="H1")
    move(case, "investigate", world.officer_a, date(2026, 8, 4))
    move(case, "notify", world.officer_a, date(2026, 8, 10))
    move(case, "request_hearing", world.officer_a, date(2026, 8, 11))
    c = client_for(world.officer_a)
    url = f"/api/v1/enforcement/cases/{case.pk}/transitions/"
    resp = c.post(url, {"action": "notify_hearing", "on": "2026-08-12"}, content_type="application/json")
    assert resp.status_code == 409 and "听证举行日期" in resp.json()["message"]
    resp = c.post(url, {"action": "notify_hearing", "on": "2026-08-12", "hearing_on": "2026-08-24"},
                  content_type="application/json")
    assert resp.status_code == 200, resp.json()
    assert resp.json()["state"] == "hearing"
    case.refresh_from_db()
    assert (case.hearing_notice_on, case.hearing_on) == (date(2026, 8, 12), date(2026, 8, 24))


def test_the_case_list_api_computes_surcharges_without_a_query_per_case(world, lib, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yifa.deadlines import services as deadline_services

    for n in range(6):
        case = file(world, lib, amount=Decimal("1000"), source_case_no=f"Q{n}")
        case.served_on = date(2026, 8, 26)
        case.save(update_fields=["served_on"])
        deadline_services.start_deadline(actor=None, owner=case, rule_code="penalty.payment", start=case.served_on,
                                         org=case.org, title="缴纳罚款")
    c = client_for(world.officer_a)
    with frozen(date(2026, 9, 20)):
        with CaptureQueriesContext(connection) as few:
            c.get("/api/v1/enforcement/cases/?page_size=2")
        with CaptureQueriesContext(connection) as many:
            body = c.get("/api/v1/enforcement/cases/?page_size=6").json()
    rows = [r for r in body["results"] if r["source_case_no"].startswith("Q")]
    assert len(rows) == 6 and all(r["late_payment_surcharge"]["days_overdue"] == 10 for r in rows)
    assert len(many.captured_queries) == len(few.captured_queries)  # no query per case
