from datetime import date, timedelta
from decimal import Decimal

import pytest

from yifa.enforcement.models import Case, EnforcementItem, Officer


@pytest.fixture
def closed_cases(world):
    """Closed cases in dept_a (12, in 2026) and town_a (5), with known defects on some:
    keys name the defects; `dept_a` / `town_a` list all."""
    item = EnforcementItem.objects.create(org=world.dept_a, code="EV-T-1", name="评查测试事项", category="penalty",
                                          legal_basis="《测试条例》第一条")
    o1 = Officer.objects.create(org=world.dept_a, name="评查甲", certificate_no="EV-1", valid_from=date(2024, 1, 1),
                                valid_to=date(2030, 12, 31))
    o2 = Officer.objects.create(org=world.dept_a, name="评查乙", certificate_no="EV-2", valid_from=date(2024, 1, 1),
                                valid_to=date(2030, 12, 31))
    expired = Officer.objects.create(org=world.dept_a, name="评查丙", certificate_no="EV-3",
                                     valid_from=date(2024, 1, 1), valid_to=date(2025, 12, 31))

    def make(org, no, day, officers=(o1, o2), **kw):
        data = dict(org=org, case_no=no, title=f"{no}案由", item=item, party_name="某公司", party_kind="organisation",
                    filed_on=day - timedelta(days=40), decided_on=day - timedelta(days=5),
                    served_on=day - timedelta(days=3), closed_on=day, state="closed", is_open=False, on_time=True,
                    sanction="fine", amount=Decimal("3000"), legal_review_result="", publicity_state="published",
                    published_on=day - timedelta(days=2), source_case_no=no)
        data.update(kw)
        c = Case.objects.create(**data)
        c.officers.set(officers)
        return c

    out = {"dept_a": [], "town_a": []}
    for i in range(12):
        out["dept_a"].append(make(world.dept_a, f"EV-A-{i}", date(2026, 3, 1) + timedelta(days=7 * i)))
    for i in range(5):
        out["town_a"].append(make(world.town_a, f"EV-T-{i}", date(2026, 4, 1) + timedelta(days=5 * i)))
    out["one_officer"] = make(world.dept_a, "EV-ONE", date(2026, 6, 10), officers=(o1, expired))
    out["unserved"] = make(world.dept_a, "EV-UNSERVED", date(2026, 6, 11), served_on=None)
    out["late"] = make(world.dept_a, "EV-LATE", date(2026, 6, 12), on_time=False)
    out["no_review"] = make(world.dept_a, "EV-NOREV", date(2026, 6, 13), amount=Decimal("80000"))
    out["open"] = make(world.dept_a, "EV-OPEN", date(2026, 6, 14), state="decided", is_open=True, closed_on=None)
    out["outside"] = make(world.dept_a, "EV-2025", date(2025, 6, 1))
    out["dept_a"] += [out["one_officer"], out["unserved"], out["late"], out["no_review"]]
    return out
