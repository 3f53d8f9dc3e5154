from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from yifa.enforcement.models import Case, EnforcementItem


@pytest.fixture(autouse=True)
def _clear_cache():
    """The public figures live in the (process-local) cache: start and end every test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def item(world):
    return EnforcementItem.objects.create(org=world.dept_a, code="PORTAL-1", name="门户测试事项", category="penalty",
                                          legal_basis="《产品质量法》第四十九条")


def make_case(world, item, n, *, published_on=None, state="published", party="张三丰", **extra):
    fields = dict(org=world.dept_a, case_no=f"测市监罚〔2026〕{n}号", title=f"门户测试案由{n}", item=item,
                  party_name=party, party_kind="individual", party_id_no="110101199003071234",
                  party_phone="13912345678", party_address="测试县南湖镇幸福路88号3单元",
                  facts=f"当事人{party}（身份证110101199003071234）销售不合格产品。", filed_on=date(2026, 3, 1),
                  decided_on=date(2026, 5, 1), sanction="fine", amount=Decimal("5000"), state="decided",
                  publicity_state=state, published_on=published_on, source_case_no=f"PORTAL-{n}")
    fields.update(extra)
    return Case.objects.create(**fields)
