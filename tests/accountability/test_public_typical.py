"""Public typical wrong cases (典型案例) for the portal: only typical wrong cases, only public
fields, no person's name, individual party's name, ID number or phone number anywhere; shown
on the portal's typical page without login; a fixed number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_user
from yifa.accountability import selectors, services
from yifa.accountability.models import Circumstance, Method, Person, WrongCase
from yifa.orgs.models import Role

pytestmark = pytest.mark.django_db

PARTY = "李四海"
ID_NO = "110101199003071234"
PHONE = "13912345678"
THIRD = "王小明"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _individual_case(world, n):
    from yifa.enforcement.models import Case, EnforcementItem, Officer

    item, _ = EnforcementItem.objects.get_or_create(org=world.dept_a, code="PUB-TYP", defaults=dict(
        name="典型测试事项", category="penalty", legal_basis="《测试条例》第三条"))
    reviewer = make_user(f"pt_reviewer_{n}", world.dept_a_unit, [Role.DEPARTMENT_LEGAL_OFFICER], f"审核员甲{n}")
    o1 = Officer.objects.create(org=world.dept_a, name=f"孙执法{n}", certificate_no=f"PT-O-{n}",
                                valid_from=date(2024, 1, 1), valid_to=date(2030, 12, 31))
    case = Case.objects.create(org=world.dept_a, case_no=f"测市监罚〔2025〕9{n}号", title="销售不合格产品", item=item,
                               party_name=PARTY, party_kind="individual", party_id_no=ID_NO, party_phone=PHONE,
                               party_address="测试县南湖镇幸福路88号", filed_on=date(2025, 1, 6),
                               decided_on=date(2025, 3, 1), sanction="fine", amount=Decimal("3000"), state="decided",
                               source_case_no=f"PT-{n}", handler=world.officer_a, legal_reviewer=reviewer)
    case.officers.set([o1])
    case.o1 = o1
    return case


def _lost_wrong_case(world, n, *, typical=True, decide=True):
    case = _individual_case(world, n)
    lit = services.register_challenge(actor=world.dept_a_legal, kind="litigation", org=world.dept_a,
                                      case_number=f"（2025）测0102行初{n}号", claimant=PARTY,
                                      challenged_act="行政处罚决定", filed_on=date(2025, 4, 1),
                                      court_or_organ="测试县人民法院", enforcement_case=case,
                                      served_on=date(2025, 4, 3))
    lit.third_parties = THIRD
    lit.save(update_fields=["third_parties"])
    services.record_outcome(actor=world.dept_a_legal, challenge=lit, outcome="revoked", on=date(2025, 8, 1),
                            number=f"（2025）测0102行初{n}号判决书")
    services.settle_appeal_periods(date(2025, 9, 1))  # no appeal: the loss is effective
    wc = WrongCase.objects.get(litigation=lit)
    person = Person.objects.get(officer=case.o1)
    # a careless free-text title naming the party, a person held accountable, an ID and a phone
    WrongCase.objects.filter(pk=wc.pk).update(
        title=f"{PARTY}（身份证{ID_NO}，电话{PHONE}）诉市场监管局案，{THIRD}为第三人，{person.name}承办")
    wc.refresh_from_db()
    if decide:
        on = date(2025, 8, 20)
        bt = wc.backtrack
        for kind in ("decision_procedure", "enforcement_basis", "law_application"):
            services.record_check(actor=world.supervisor, backtrack=bt, kind=kind, has_problem=False,
                                  finding="无问题", on=on)
        services.record_check(actor=world.supervisor, backtrack=bt, kind="evidence", has_problem=True,
                              finding=f"{person.name}未收集证据", problems=[("evidence", f"{person.name}缺少笔录"),
                                                                           ("procedure", "未听取陈述申辩")], on=on)
        method = Method.objects.get(code="sanction_demerit")
        for inv in bt.involvements.all():
            services.confirm_involvement(actor=world.supervisor, involvement=inv, fault_share="direct",
                                         reasons="未全面收集证据", circumstance=Circumstance.objects.get(code="2.3"),
                                         proposed_method=method)
        services.complete_backtrack(actor=world.supervisor, backtrack=bt, summary=f"{person.name}负直接责任", on=on)
        rec = services.issue_recommendation(actor=world.supervisor, wrong_case=wc, authority="测试县市场监督管理局党组",
                                            feedback_due=date(2025, 10, 1), on=date(2025, 9, 1))
        services.record_decision(actor=world.supervisor, person=person, method=method, authority="测试县市场监督管理局",
                                 decided_on=date(2025, 9, 20), doc_number=f"测市监纪〔2025〕{n}号", wrong_case=wc,
                                 recommendation=rec, impact_until=date(2026, 9, 20))
    if typical:
        services.set_typical(actor=world.supervisor, wrong_case=wc, typical=True)
    wc.refresh_from_db()
    return wc


def _forbidden(wc):
    names = {PARTY, THIRD}
    for inv in wc.backtrack.involvements.select_related("person"):
        names.add(inv.person.name)
    for d in wc.decisions.select_related("person"):
        names.add(d.person.name)
    return names | {ID_NO, PHONE}


def test_only_typical_wrong_cases_with_public_fields(world):
    typical = _lost_wrong_case(world, 1)
    other = _lost_wrong_case(world, 2, typical=False, decide=False)
    rows = selectors.public_typical_cases()
    assert [r["id"] for r in rows] == [typical.pk]
    row = rows[0]
    assert set(row) == {"id", "org_name", "title", "day", "trigger", "trigger_label", "summary"}
    assert row["org_name"] == world.dept_a.name and row["day"] == typical.opened_on
    assert "行政诉讼败诉" in row["summary"]
    assert "证据不足" in row["summary"] and "程序违法" in row["summary"]
    assert "1人受到政务处分（记过）" in row["summary"]
    # unmarking takes it off
    services.set_typical(actor=world.supervisor, wrong_case=typical, typical=False)
    assert selectors.public_typical_cases() == []
    services.set_typical(actor=world.supervisor, wrong_case=other, typical=True)
    assert [r["id"] for r in selectors.public_typical_cases()] == [other.pk]
    assert "倒查进行中" in selectors.public_typical_cases()[0]["summary"]


def test_no_personal_data_in_any_field(world):
    wc = _lost_wrong_case(world, 3)
    forbidden = _forbidden(wc)
    assert len(forbidden) >= 5  # party, third party, persons involved, ID, phone
    rows = selectors.public_typical_cases()
    assert rows
    for row in rows:
        for key, value in row.items():
            for secret in forbidden:
                assert secret not in str(value), (key, secret)
    assert "李*" in rows[0]["title"]  # masked, still readable


def test_portal_typical_page_shows_it_without_login(world, client):
    wc = _lost_wrong_case(world, 4)
    public_title = selectors.public_typical_cases()[0]["title"]
    resp = client.get(reverse("portal:typical"))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert public_title in body and f'id="accountability-{wc.pk}"' in body
    assert "1人受到政务处分（记过）" in body
    for secret in _forbidden(wc):
        assert secret not in body, secret


def test_query_count_is_bounded(world):
    _lost_wrong_case(world, 5)
    with CaptureQueriesContext(connection) as one:
        assert len(selectors.public_typical_cases()) == 1
    for n in (6, 7, 8):
        _lost_wrong_case(world, n)
    with CaptureQueriesContext(connection) as four:
        assert len(selectors.public_typical_cases()) == 4
    assert len(four) == len(one) <= 5
    assert len(selectors.public_typical_cases(limit=2)) == 2
