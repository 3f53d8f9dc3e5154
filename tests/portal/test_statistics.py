"""公开数据: each figure equals a direct count of the records, per year; cached for ten
minutes (the cache is what the page reads); shown on the page for this year and last."""

from datetime import date

import pytest
from django.urls import reverse
from tests.clock import frozen
from tests.conftest import make_org
from yifa.enforcement.models import Case
from yifa.orgs.models import Organization, OrgKind
from yifa.enforcement.services import rebuild_rollup
from yifa.portal import services
from yifa.review.models import ReviewItem
from yifa.supervision.models import OpinionLetter, SupervisionDecision

from .conftest import make_case

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 15)  # the page shows this year and last: the clock is frozen here
THIS = TODAY.year
LAST = THIS - 1


@pytest.fixture(autouse=True)
def _today():
    with frozen(TODAY):
        yield


@pytest.fixture
def records(world, item):
    n = iter(range(1, 100))
    for year, published in ((THIS, 3), (LAST, 2)):
        for i in range(published):
            make_case(world, item, next(n), published_on=date(year, 2, 1 + i), decided_on=date(year, 1, 10))
    make_case(world, item, next(n), state="withdrawn", published_on=date(THIS, 3, 1))  # no longer public
    # closed cases: this year 3 on time + 1 late, last year 2 on time; one still open
    for year, flags in ((THIS, (True, True, True, False)), (LAST, (True, True))):
        for i, on_time in enumerate(flags):
            make_case(world, item, next(n), state="closed", publicity_state="none", is_open=False,
                      closed_on=date(year, 4, 1 + i), on_time=on_time, legal_review_on=date(year, 3, 1),
                      legal_review_result="passed")
    make_case(world, item, next(n), state="investigating", publicity_state="none")
    rebuild_rollup()  # the rollup the services maintain, rebuilt from these rows
    for i, (year, issued) in enumerate(((THIS, True), (THIS, True), (LAST, True), (THIS, False))):
        ReviewItem.objects.create(org=world.dept_a, number=f"PORTAL-R-{i}", title=f"门户审查{i}",
                                  item_type="normative_document", draft_text="草案", submitted_on=date(year, 1, 5),
                                  issued_on=date(year, 2, 1) if issued else None,
                                  state="opinion_issued" if issued else "first_review")
    for i, (year, state) in enumerate(((THIS, "rectifying"), (THIS, "accepted"), (THIS, "closed"), (LAST, "closed"))):
        OpinionLetter.objects.create(org=world.dept_a, issuer=world.supervision_office, title=f"门户意见书{i}",
                                     requirements="整改", issued_on=date(year, 5, 1), state=state)
    # an unrectified letter escalated to a 监督决定书 (the third instrument is counted too)
    escalated = OpinionLetter.objects.create(org=world.dept_a, issuer=world.supervision_office, title="门户升级意见书",
                                             requirements="整改", issued_on=date(THIS, 3, 1), state="escalated")
    SupervisionDecision.objects.create(org=world.dept_a, issuer=world.supervision_office, letter=escalated,
                                       kind="correct", reasons="逾期未整改", requirements="限期纠正",
                                       issued_on=date(THIS, 6, 1))
    # a neighbouring county's records are not this portal's figures
    other = make_org("T-GOV2", "邻县人民政府", OrgKind.COUNTY, world.city)
    other_dept = make_org("T-GOV2-D", "邻县市场监督管理局", OrgKind.DEPARTMENT, other)
    make_case(world, item, next(n), org=other_dept, published_on=date(THIS, 2, 1))
    make_case(world, item, next(n), org=other_dept, state="closed", publicity_state="none", is_open=False,
              closed_on=date(THIS, 4, 1), on_time=False)
    rebuild_rollup()
    return world


def direct(year):
    """The same figures counted independently of the service (different lookups, no rollup):
    the test county's records only (the county's path prefix)."""
    in_county = {"org__path__startswith": Organization.objects.get(code="T-GOV").path}
    cases = Case.objects.filter(**in_county)
    closed = cases.filter(is_open=False, closed_on__year=year, on_time__isnull=False)
    on_time = closed.filter(on_time=True).count()
    letters = OpinionLetter.objects.filter(issued_on__year=year, **in_county)
    rectified = letters.filter(state__in=["accepted", "closed"]).count()
    out = {
        "decisions_published": cases.filter(publicity_state="published", published_on__year=year).count(),
        "cases_closed": closed.count(), "cases_on_time": on_time,
        "on_time_rate": round(100 * on_time / closed.count(), 1) if closed.count() else None,
        "reviews_completed": ReviewItem.objects.filter(issued_on__year=year, **in_county).count(),
        "case_reviews": cases.filter(legal_review_on__year=year).exclude(legal_review_result="").count(),
        "letters_issued": letters.count(), "letters_rectified": rectified,
        "decisions_issued": SupervisionDecision.objects.filter(issued_on__year=year, **in_county).count(),
        "rectification_rate": round(100 * rectified / letters.count(), 1) if letters.count() else None,
    }
    try:
        from yifa.supervision.complaints.models import Complaint
    except ImportError:
        out.update(complaints_received=None, complaints_closed=None)
    else:
        got = Complaint.objects.filter(received_on__year=year, **in_county)
        out.update(complaints_received=got.count(), complaints_closed=got.filter(state="closed").count())
    return out


def test_figures_equal_direct_counts(records):
    for year in (THIS, LAST):
        got = services.compute_figures(year)
        assert got == {"year": year, **direct(year)}, year
    this = services.compute_figures(THIS)
    # the records above are counted (not only the other apps' scoping objects)
    assert this["decisions_published"] >= 3 and this["cases_closed"] >= 4 and this["letters_issued"] >= 3
    assert services.compute_figures(LAST)["decisions_published"] >= 2
    assert this["decisions_issued"] >= 1
    everywhere = Case.objects.filter(publicity_state="published", published_on__year=THIS).count()
    assert this["decisions_published"] == everywhere - 1  # not the neighbouring county's


def test_figures_are_cached_per_year(records, world, item):
    before = services.figures(THIS)
    make_case(world, item, 500, published_on=date(THIS, 6, 1))
    assert services.figures(THIS) == before  # served from the cache
    assert services.compute_figures(THIS)["decisions_published"] == before["decisions_published"] + 1
    services.forget_figures(THIS)
    assert services.figures(THIS)["decisions_published"] == before["decisions_published"] + 1
    assert services.cache_key(THIS) != services.cache_key(LAST)


def test_statistics_page_shows_both_years(records, client):
    resp = client.get(reverse("portal:statistics"))
    assert resp.status_code == 200
    body = resp.content.decode()
    this, last = direct(THIS), direct(LAST)
    assert f"{THIS}年" in body and f"{LAST}年" in body
    for key, unit in (("decisions_published", " 件"), ("cases_closed", " 件"), ("letters_issued", " 份"),
                      ("reviews_completed", " 件")):
        row = body[body.index(f'data-metric="{key}"'):]
        row = row[:row.index("</tr>")]
        assert f'data-year="{THIS}">{this[key]}{unit}<' in row, (key, row)
        assert f'data-year="{LAST}">{last[key]}{unit}<' in row, (key, row)
    row = body[body.index('data-metric="on_time_rate"'):]
    assert f">{this['on_time_rate']}%<" in row[:row.index("</tr>")]
    assert "vendor/echarts/echarts.min.js" in body and "cdn" not in body.lower()
    assert 'id="stats-chart-data"' in body


def test_statistics_page_reads_the_cache(records, client):
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("portal:statistics"))
    with CaptureQueriesContext(connection) as seen:
        assert client.get(reverse("portal:statistics")).status_code == 200
    # the county and the figures come from the cache: the only queries are the reads of the
    # shared (database) cache's own table
    assert seen.captured_queries
    assert all(settings.CACHE_TABLE in q["sql"] for q in seen.captured_queries), seen.captured_queries


def test_a_stale_cached_county_is_looked_up_again(records, world):
    """The county is cached for ten minutes; when the tree is rebuilt meanwhile (a demo reset,
    a flushed test database) the figures look it up again instead of failing the page."""
    from django.core.cache import cache
    from yifa.portal.selectors import COUNTY_CACHE_KEY, county

    real = county()
    cache.set(COUNTY_CACHE_KEY, {"id": 987654, "name": "已撤销的县人民政府", "path": "9999/"}, 600)
    got = services.compute_figures(THIS)
    assert got["decisions_published"] == 3
    assert county() == real
