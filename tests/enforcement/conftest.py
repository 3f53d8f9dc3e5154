from datetime import date
from decimal import Decimal

import pytest

from yifa.enforcement.models import DiscretionBenchmark, EnforcementBody, EnforcementItem, Officer


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def lib(world):
    """Base library of dept_a: a body, three officers (one expired), an item with benchmarks."""
    w = world
    body = EnforcementBody.objects.create(org=w.dept_a, name="测试县市场监督管理局", kind="statutory",
                                          legal_basis="《市场监督管理行政处罚程序规定》")
    o1 = Officer.objects.create(org=w.dept_a, name="张执法", certificate_no="T-0001", valid_from=date(2024, 1, 1),
                                valid_to=date(2028, 12, 31), user=w.officer_a)
    o2 = Officer.objects.create(org=w.dept_a, name="李执法", certificate_no="T-0002", valid_from=date(2024, 1, 1),
                                valid_to=date(2028, 12, 31))
    expired = Officer.objects.create(org=w.dept_a, name="王过期", certificate_no="T-0003",
                                     valid_from=date(2020, 1, 1), valid_to=date(2025, 12, 31))
    item = EnforcementItem.objects.create(org=w.dept_a, code="SCJG-001", name="销售不合格产品的处罚",
                                          category="penalty", legal_basis="《产品质量法》第四十九条")
    DiscretionBenchmark.objects.create(item=item, level="general", min_amount=Decimal("2000"),
                                       max_amount=Decimal("30000"), circumstance="首次违法")
    DiscretionBenchmark.objects.create(item=item, level="minor", min_amount=Decimal("0"),
                                       max_amount=Decimal("2000"))
    return type("Lib", (), {"body": body, "o1": o1, "o2": o2, "expired": expired, "item": item})
