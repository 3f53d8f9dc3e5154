"""党政机关法律顾问全覆盖: the check lists every unit without an advisor under contract, the
rate shows beside the advisor counts (advisor roster, leader dashboard), within scope."""

from datetime import date

import pytest

from yifa.review.models import AdvisorStatus, AdvisorType, LegalAdvisor
from yifa.review.selectors import advisor_coverage

ON = date(2026, 6, 1)


def _advisor(org, **kw):
    data = dict(org=org, name="顾问", advisor_type=AdvisorType.PRACTISING_LAWYER)
    data.update(kw)
    return LegalAdvisor.objects.create(**data)


@pytest.mark.django_db
def test_units_without_an_advisor_under_contract_are_listed(office):
    w = office
    # the world: both townships have an advisor (testing.py), the county team serves the
    # government; dept_a's advisor is under contract, dept_b's contract has ended,
    # the justice bureau's advisor was dismissed
    _advisor(w.dept_a, contract_start=date(2025, 1, 1), contract_end=date(2026, 12, 31))
    _advisor(w.dept_b, contract_start=date(2024, 1, 1), contract_end=date(2026, 5, 31))
    _advisor(w.justice, status=AdvisorStatus.TERMINATED)
    cov = advisor_coverage(w.county, ON)
    assert {u.name for u in cov["uncovered"]} == {w.dept_b.name, w.justice.name}
    assert (cov["units"], cov["covered"], cov["rate"]) == (6, 4, 66.7)
    # 4 county team + 2 township advisors + dept_a's; not dept_b's (ended) nor the dismissed one
    assert cov["active"] == 7 and cov["county_team"] == 4
    # a contract not yet started does not cover either; the day the contract ends still does
    assert advisor_coverage(w.county, date(2026, 5, 31))["covered"] == 5
    _advisor(w.justice, contract_start=date(2026, 7, 1))
    assert advisor_coverage(w.county, ON)["covered"] == 4
    assert advisor_coverage(w.county, date(2026, 7, 1))["covered"] == 5


@pytest.mark.django_db
def test_government_needs_its_county_team(world):
    LegalAdvisor.objects.filter(org__in=[world.town_a, world.town_b]).delete()
    cov = advisor_coverage(world.county, ON)
    assert cov["covered"] == 0 and cov["rate"] == 0
    assert [u.name for u in cov["uncovered"]][0] == world.county.name
    # a township's own subtree: just the township
    assert advisor_coverage(world.town_a, ON)["units"] == 1


@pytest.mark.django_db
def test_coverage_page_roster_and_dashboard(office, client_for):
    w = office
    _advisor(w.dept_a)
    page = client_for(w.office_user).get("/review/advisors/coverage/").content.decode()
    assert "尚无在聘法律顾问的单位（2 个）" in page
    assert w.dept_b.name in page and w.justice.name in page and w.dept_a.name not in page.split("uncovered-units")[1]
    roster = client_for(w.office_user).get("/review/advisors/").content.decode()
    assert "单位覆盖率 66.7%（2 个单位未聘请）" in roster
    dash = client_for(w.leader).get("/reports/").content.decode()
    assert 'id="section-advisors"' in dash and "66.7%" in dash and "4 / 6 个单位" in dash
    # a township leader's dashboard covers only the township
    town = client_for(w.town_a_legal)
    assert town.get("/review/advisors/coverage/").status_code == 200
