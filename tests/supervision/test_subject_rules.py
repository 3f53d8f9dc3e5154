"""Online rules about records other than one case: each flags the records it should and
not the ones it must not, inserts one clue per (subject, period) idempotently, respects the
per-unit switch and the runner's scope; the clue reads in words with links; confirm/dismiss
work on such clues."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from yifa.enforcement.models import Case, DiscretionBenchmark, EnforcementItem, Officer, Sector
from yifa.supervision import services
from yifa.supervision.complaints.models import Complaint
from yifa.supervision.models import Clue, ClueState, Finding, RuleParam

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 2)  # last complete quarter: 2026-Q3; last complete month: 2026-10


def _clues(code):
    return {(c.subject_type, c.subject_id, c.period): c for c in Clue.objects.filter(rule_code=code)}


def _run(code, **kw):
    return services.run_rules(today=TODAY, rule_codes=[code], **kw)[code]


@pytest.fixture
def fines(world):
    item = EnforcementItem.objects.create(org=world.dept_a, code="SR-1", name="顶格测试事项", category="penalty",
                                          legal_basis="《测试条例》")
    DiscretionBenchmark.objects.create(item=item, level="general", min_amount=Decimal("1000"),
                                       max_amount=Decimal("11000"))
    n = [0]

    def officer(org, name):
        n[0] += 1
        return Officer.objects.create(org=org, name=name, certificate_no=f"SR-O{n[0]}", valid_from=date(2020, 1, 1),
                                      valid_to=date(2030, 12, 31))

    def fine(officers, amount, decided_on=date(2026, 8, 1), circumstance="general", org=None):
        n[0] += 1
        c = Case.objects.create(org=org or officers[0].org, case_no=f"SR-{n[0]}", title=f"SR-{n[0]}案由", item=item,
                                party_name=f"当事人{n[0]}", party_kind="organisation", filed_on=date(2026, 6, 1),
                                source_case_no=f"SR-{n[0]}", state="decided", decided_on=decided_on,
                                sanction="fine", amount=Decimal(amount), circumstance=circumstance)
        c.officers.set(officers)
        return c

    return {"officer": officer, "fine": fine}


def test_fines_at_top_flags_the_officer_not_a_spread_or_too_few(world, fines):
    top = fines["officer"](world.dept_a, "顶格甲")
    spread = fines["officer"](world.dept_a, "分布乙")
    few = fines["officer"](world.dept_b, "少量丙")
    for i in range(5):  # 5 fines, 4 at >= 1000 + 0.9 * 10000 = 10000
        fines["fine"]([top, spread] if i == 0 else [top], "10000" if i < 4 else "3000")
    for amount in ("2000", "5000", "8000", "10500"):  # spread: 2 of 5 at the top (with the shared one)
        fines["fine"]([spread], amount)
    for _ in range(3):  # all at the max, but only 3 fines
        fines["fine"]([few], "11000")
    for _ in range(5):  # at the top but in the current quarter: not the quarter checked
        fines["fine"]([spread], "11000", decided_on=date(2026, 10, 15))
    assert _run("discretion.top_of_range") == 1
    clue = _clues("discretion.top_of_range")[("enforcement.officer", top.pk, "2026-Q3")]
    assert clue.org == world.dept_a and "顶格甲" in clue.subject_label
    assert clue.subject_words == "执法人员 顶格甲（测试县市场监督管理局）（2026年第三季度）"
    from yifa.supervision.selectors import clue_evidence

    evidence = clue_evidence(clue)
    assert len(evidence) == 5 and sum("（顶格）" in w for w, _ in evidence) == 4
    assert all(url.startswith("/enforcement/") for _, url in evidence) and "基准 1,000.00—11,000.00 元" in evidence[0][0]
    assert _run("discretion.top_of_range") == 0  # idempotent
    RuleParam.objects.create(rule_code="discretion.top_of_range", key="min_fines", value=3)
    assert _run("discretion.top_of_range") == 1  # the officer with 3 fines at the max
    assert ("enforcement.officer", few.pk, "2026-Q3") in _clues("discretion.top_of_range")


def test_rebound_after_verified_rectification(world):
    env = Sector.objects.create(code="sr-env", name="测试生态环境")
    food = Sector.objects.create(code="sr-food", name="测试食品安全")

    def finding(org, category, raised_on, sector=None, verified_on=None):
        return Finding.objects.create(org=org, category=category, description=f"{category}问题", raised_on=raised_on,
                                      sector=sector, state="verified" if verified_on else "open",
                                      verified_on=verified_on)

    finding(world.dept_a, "procedure", date(2025, 12, 1), verified_on=date(2026, 1, 10))
    again = finding(world.dept_a, "procedure", date(2026, 9, 1))  # hit: same unit, category
    finding(world.dept_a, "document", date(2026, 9, 2))  # other category
    finding(world.dept_b, "procedure", date(2026, 9, 3))  # other unit
    finding(world.dept_b, "publicity", date(2025, 1, 1), verified_on=date(2025, 2, 1))
    finding(world.dept_b, "publicity", date(2026, 6, 1))  # verified more than 365 days before
    finding(world.town_a, "conduct", date(2026, 1, 1), sector=env, verified_on=date(2026, 2, 1))
    finding(world.town_a, "conduct", date(2026, 8, 1), sector=food)  # that one named another sector
    same_sector = finding(world.town_a, "conduct", date(2026, 8, 2), sector=env)
    finding(world.town_b, "substance", date(2026, 3, 1), verified_on=date(2026, 10, 1))
    finding(world.town_b, "substance", date(2026, 9, 1))  # raised before the verification
    assert _run("rectification.rebound") == 2
    assert set(_clues("rectification.rebound")) == {("supervision.finding", again.pk, ""),
                                                    ("supervision.finding", same_sector.pk, "")}
    clue = _clues("rectification.rebound")[("supervision.finding", again.pk, "")]
    assert clue.subject_label == "测试县市场监督管理局：执法程序问题再次发现（2026-09-01）"
    assert clue.subject_url == f"/supervision/findings/{again.pk}/"
    from yifa.supervision.selectors import clue_evidence

    words = [w for w, _ in clue_evidence(clue)]
    assert words[0].startswith("本次发现：2026-09-01") and len(words) == 2 and "2026-01-10 核验整改完毕" in words[1]
    assert _run("rectification.rebound") == 0


def _complaint(world, n, unit, category, received_on):
    return Complaint.objects.create(org=world.supervision_office, subject_unit=unit, query_code=f"SRQ{n:05d}",
                                    source="phone", complainant_name="投诉人", complainant_phone="13800000000",
                                    category=category, content=f"第{n}件投诉", received_on=received_on)


def test_repeated_complaints_same_unit_and_matter(world):
    for i, d in enumerate((date(2026, 9, 1), date(2026, 10, 1), date(2026, 10, 20))):
        last = _complaint(world, i, world.dept_a, "fine", d)
    _complaint(world, 10, world.dept_a, "conduct", date(2026, 10, 1))  # another matter
    for i, d in enumerate((date(2026, 6, 1), date(2026, 10, 1), date(2026, 10, 5))):
        _complaint(world, 20 + i, world.dept_b, "fine", d)  # one of three outside 90 days
    assert _run("complaints.repeated") == 1
    clue = Clue.objects.get(rule_code="complaints.repeated")
    assert (clue.subject_id, clue.org) == (last.pk, world.dept_a)
    assert clue.subject_label == "测试县市场监督管理局：“乱罚款、乱收费”类投诉反复发生"
    assert _run("complaints.repeated") == 0
    _complaint(world, 30, world.dept_a, "fine", date(2026, 11, 1))  # it goes on: a new clue
    assert _run("complaints.repeated") == 1


def test_penalty_volume_trend(world, fines):
    o = fines["officer"](world.dept_a, "甲")
    ob = fines["officer"](world.dept_b, "乙")
    ot = fines["officer"](world.town_a, "丙")
    for i in range(10):
        fines["fine"]([o], "2000", decided_on=date(2026, 9, 1) + timedelta(days=i))  # dept_a: 10 -> 5
    for i in range(5):
        fines["fine"]([o], "2000", decided_on=date(2026, 10, 3) + timedelta(days=i))
    for i in range(6):
        fines["fine"]([ob], "2000", decided_on=date(2026, 9, 3))  # dept_b: 6 -> 8, +33 %
    for i in range(8):
        fines["fine"]([ob], "2000", decided_on=date(2026, 10, 3))
    for i in range(2):
        fines["fine"]([ot], "2000", decided_on=date(2026, 9, 3))  # town_a: 2 -> 9, too few in September
    for i in range(9):
        fines["fine"]([ot], "2000", decided_on=date(2026, 10, 3))
    assert _run("trend.penalty_volume") == 1
    clue = Clue.objects.get(rule_code="trend.penalty_volume")
    assert (clue.subject_type, clue.subject_id, clue.period, clue.org) == (
        "orgs.organization", world.dept_a.pk, "2026-10", world.dept_a)
    from yifa.supervision.selectors import clue_evidence

    assert [w for w, _ in clue_evidence(clue)] == ["2026年9月作出行政处罚决定 10 件", "2026年10月作出行政处罚决定 5 件"]
    assert _run("trend.penalty_volume") == 0


def test_switch_scope_page_and_handling(world, fines, client_for):
    for i, d in enumerate((date(2026, 9, 1), date(2026, 10, 1), date(2026, 10, 20))):
        _complaint(world, i, world.dept_a, "fine", d)
        _complaint(world, 10 + i, world.dept_b, "fine", d)
    services.set_rule_switch(actor=world.supervisor, org=world.dept_b, rule_code="complaints.repeated", enabled=False)
    # a department's legal officer runs in its own scope only
    services.run_rules(actor=world.dept_b_legal, today=TODAY, rule_codes=["complaints.repeated"])
    assert not Clue.objects.filter(rule_code="complaints.repeated").exists()
    assert _run("complaints.repeated") == 1  # dept_b switched it off
    clue = Clue.objects.get(rule_code="complaints.repeated")
    assert clue.org == world.dept_a
    page = client_for(world.supervisor).get(f"/supervision/clues/{clue.pk}/").content.decode()
    assert "投诉举报 测试县市场监督管理局：“乱罚款、乱收费”类投诉反复发生" in page and "第0件投诉" in page
    assert "complaints.complaint" not in page and "None" not in page
    assert client_for(world.dept_b_legal).get(f"/supervision/clues/{clue.pk}/").status_code == 404
    listed = client_for(world.dept_a_legal).get("/supervision/clues/").content.decode()
    assert "类投诉反复发生" in listed
    api = client_for(world.dept_a_legal).get(f"/api/v1/supervision/clues/{clue.pk}/").json()
    assert api["subject_kind"] == "投诉举报" and api["case_no"] == "" and api["subject"].startswith("投诉举报")
    assert client_for(world.dept_b_legal).get(f"/api/v1/supervision/clues/{clue.pk}/").status_code == 404
    finding = services.confirm_clue(actor=world.supervisor, clue=clue, category="conduct")
    assert finding.org == world.dept_a and "类投诉反复发生" in finding.description
    clue.refresh_from_db()
    assert clue.state == ClueState.CONFIRMED


def test_dismiss_a_subject_clue(world, fines):
    o = fines["officer"](world.dept_a, "甲")
    for i in range(10):
        fines["fine"]([o], "2000", decided_on=date(2026, 9, 1))
    for i in range(5):
        fines["fine"]([o], "2000", decided_on=date(2026, 10, 1))
    _run("trend.penalty_volume")
    clue = Clue.objects.get(rule_code="trend.penalty_volume")
    services.dismiss_clue(actor=world.supervisor, clue=clue, reason="九月开展专项整治，十月回落属正常")
    clue.refresh_from_db()
    assert clue.state == ClueState.DISMISSED
