"""查处准确率 on the public statistics page: the county's, by year and sector, from the
supervision statistics, cached like the other public figures and served without cookies."""
from datetime import date

import pytest
from django.urls import reverse

from tests.clock import frozen
from tests.supervision.test_sectors import judged  # noqa: F401  (fixture: graded files and clues 2025–2026)
from yifa.portal import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with frozen(date(2026, 11, 15)):
        yield


def test_the_county_accuracy_by_year_and_sector(judged):  # noqa: F811
    got = services.compute_accuracy(2026)
    assert got["years"] == [2024, 2025, 2026]
    # the same records as the supervision statistics: 2025 3 of 5, 2026 2 of 3
    assert [(c["year"], c["judged"], c["correct"], c["rate"]) for c in got["total"]] == [
        (2024, 0, 0, None), (2025, 5, 3, 60.0), (2026, 3, 2, 66.7)]
    rows = {r["name"]: [(c["judged"], c["correct"]) for c in r["years"]] for r in got["rows"]}
    assert rows == {"食品药品": [(0, 0), (4, 3), (1, 1)], "生态环境": [(0, 0), (1, 0), (2, 1)]}  # only sectors judged


def test_a_unit_outside_the_county_is_not_counted(judged):  # noqa: F811
    from tests.conftest import make_org
    from yifa.enforcement.models import Case, EnforcementItem
    from yifa.orgs.models import OrgKind
    from yifa.supervision.models import Clue

    other = make_org("T-OTHER-ACC", "邻县人民政府", OrgKind.COUNTY, None)
    item = EnforcementItem.objects.create(org=other, code="OTH-1", name="邻县事项", category="penalty", legal_basis="法")
    case = Case.objects.create(org=other, case_no="OTH-1", title="案", item=item, party_name="当事人",
                               filed_on=date(2026, 3, 1), source_case_no="OTH-1")
    Clue.objects.create(org=other, rule_code="x", case=case, raised_on=date(2026, 3, 2), state="confirmed",
                        handled_on=date(2026, 3, 5))
    assert services.compute_accuracy(2026)["total"][-1]["judged"] == 3


def test_cached_and_forgotten_with_the_figures(judged):  # noqa: F811
    from yifa.supervision.models import Clue

    before = services.accuracy(2026)
    Clue.objects.filter(handled_on__year=2026).update(state="confirmed")
    assert services.accuracy(2026) == before  # served from the cache
    services.forget_figures(2026)
    assert services.accuracy(2026)["total"][-1]["correct"] == 1


def test_the_statistics_page_shows_it_without_cookies(judged, client):  # noqa: F811
    resp = client.get(reverse("portal:statistics"))
    body = resp.content.decode()
    assert resp.status_code == 200 and not resp.cookies and "public" in resp["Cache-Control"]
    table = body[body.index('id="accuracy-table"'):]
    table = table[:table.index("</table>")]
    assert '<td>全县</td>' in table and 'data-year="2025">60.0%' in table and 'data-year="2026">66.7%' in table
    assert "（3/5）" in table and "食品药品" in table and "生态环境" in table and "安全生产" not in table
    assert 'data-year="2024">—' in table


def test_the_page_says_when_there_is_nothing(client):
    body = client.get(reverse("portal:statistics")).content.decode()
    assert 'id="accuracy-none"' in body
