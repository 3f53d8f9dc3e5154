from datetime import date
from decimal import Decimal

from tests.conftest import make_org
from yifa.assessment import services
from yifa.assessment.models import IndicatorKind
from yifa.orgs.models import OrgKind


def extra_departments(world, n=2):
    return [make_org(f"T-DX{i}", f"测试县第{i}局", OrgKind.DEPARTMENT, world.county) for i in range(1, n + 1)]


def manual_indicators(period):
    return [i for c in services.tree_of(period) for i in c.indicators.all() if i.kind == IndicatorKind.MANUAL]


def score_all(world, period, shares: dict, default=Decimal("1")):
    """Every manual indicator scored for every assessed unit: points × share (by org)."""
    for ind in manual_indicators(period):
        for u in services.assessed_units(period):
            share = Decimal(str(shares.get(u.pk, default)))
            services.set_manual_score(actor=world.supervisor, period=period, indicator=ind, org=u,
                                      score=(services.points_of(ind) * share).quantize(Decimal("0.01")),
                                      evidence="经查阅台账评定", on=date(2026, 1, 5))


def new_period(world, year=2025):
    return services.create_period(actor=world.supervisor, org=world.county, year=year)


_seq = [0]


def closed_case(org, *, on_time: bool, closed_on: date, item=None):
    from yifa.enforcement.models import Case, EnforcementItem

    _seq[0] += 1
    n = _seq[0]
    if item is None:
        item = EnforcementItem.objects.filter(code=f"ASM-{org.pk}").first() or EnforcementItem.objects.create(
            org=org, code=f"ASM-{org.pk}", name="考核测试事项", category="penalty", legal_basis="《测试条例》")
    return Case.objects.create(org=org, case_no=f"考核测试〔2025〕{n}号", title=f"考核测试案件{n}", item=item,
                               party_name="某公司", party_kind="organisation", filed_on=date(2025, 1, 2),
                               decided_on=closed_on, state="closed", is_open=False, on_time=on_time,
                               closed_on=closed_on, source_case_no=f"ASM-{n}")
