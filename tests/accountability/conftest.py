from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import make_user
from yifa.orgs.models import Role


APPEAL_RULES = [("judgment.appeal", "不服第一审判决提起上诉（期满未上诉的，判决发生法律效力）", 15),
                ("ruling.appeal", "不服第一审裁定提起上诉（期满未上诉的，裁定发生法律效力）", 10)]


@pytest.fixture(autouse=True)
def appeal_rules(db):
    """The appeal-period rules the deadlines app seeds (行政诉讼法 art. 85)."""
    from yifa.deadlines.models import DeadlineRule

    return {code: DeadlineRule.objects.get_or_create(code=code, defaults=dict(
        name=name, n=n, unit="CD", direction="max", basis="《行政诉讼法》第八十五条"))[0]
        for code, name, n in APPEAL_RULES}


@pytest.fixture
def ecase(world):
    """A decided penalty case of department A with a handler, two officers and a legal reviewer."""
    from yifa.enforcement.models import Case, EnforcementItem, Officer

    item = EnforcementItem.objects.create(org=world.dept_a, code="ACC-1", name="问责测试事项", category="penalty",
                                          legal_basis="《测试条例》第三条")
    reviewer = make_user("t_reviewer_a", world.dept_a_unit, [Role.DEPARTMENT_LEGAL_OFFICER], "审核员丙")
    o1 = Officer.objects.create(org=world.dept_a, name="赵执法", certificate_no="ACC-O-1", user=world.officer_a,
                                valid_from=date(2024, 1, 1), valid_to=date(2030, 12, 31))
    o2 = Officer.objects.create(org=world.dept_a, name="钱执法", certificate_no="ACC-O-2",
                                valid_from=date(2024, 1, 1), valid_to=date(2030, 12, 31))
    case = Case.objects.create(org=world.dept_a, case_no="测市监罚〔2025〕12号", title="销售不合格产品", item=item,
                               party_name="某商贸有限公司", party_kind="organisation", filed_on=date(2025, 1, 6),
                               decided_on=date(2025, 3, 1), sanction="fine", amount=Decimal("30000"),
                               state="decided", source_case_no="ACC-12", handler=world.officer_a,
                               legal_reviewer=reviewer)
    case.officers.set([o1, o2])
    case.o1, case.o2, case.reviewer = o1, o2, reviewer
    return case


@pytest.fixture
def lost(world, ecase):
    """A litigation against department A, lost at first instance and not appealed: once the
    appeal period passed the loss is effective and the wrong case is open."""
    from yifa.accountability import services

    lit = services.register_challenge(actor=world.dept_a_legal, kind="litigation", org=world.dept_a,
                                      case_number="（2025）测0102行初5号", claimant="某商贸有限公司",
                                      challenged_act="行政处罚决定", filed_on=date(2025, 4, 1),
                                      court_or_organ="测试县人民法院", enforcement_case=ecase,
                                      served_on=date(2025, 4, 3))
    services.record_outcome(actor=world.dept_a_legal, challenge=lit, outcome="revoked", on=date(2025, 7, 15),
                            number="（2025）测0102行初5号判决书")
    services.settle_appeal_periods(date(2025, 8, 1))  # 15 days end on 30 July: effective on the 31st
    lit.refresh_from_db()
    return lit
