"""Pages: registry, wrong case journey through the views, visibility of individual records,
statistics with Excel export, query counts."""

import io
import zipfile
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_user
from yifa.accountability import services
from yifa.accountability.models import Method, Person, WrongCase
from yifa.orgs.models import Role

from .test_services import _do_backtrack


def test_pages_render(world, client_for, lost):
    c = client_for(world.supervisor)
    wc = WrongCase.objects.get(litigation=lost)
    for url in ["/accountability/", "/accountability/litigations/", "/accountability/reconsiderations/",
                "/accountability/wrong-cases/", "/accountability/persons/", "/accountability/decisions/",
                "/accountability/notices/", "/accountability/sessions/", "/accountability/stats/",
                "/accountability/catalogue/", f"/accountability/wrong-cases/{wc.pk}/",
                f"/accountability/litigations/{lost.pk}/", "/accountability/litigations/new/",
                "/accountability/notices/new/", "/accountability/sessions/new/",
                "/accountability/wrong-cases/from-finding/"]:
        r = c.get(url)
        assert r.status_code == 200, url
    assert "本地默认" in c.get("/accountability/catalogue/").content.decode()


def test_register_and_lose_through_pages(world, client_for, ecase):
    c = client_for(world.dept_a_legal)
    r = c.post("/accountability/litigations/new/", {
        "org": world.dept_a.pk, "case_number": "（2026）测行初1号", "claimant": "某公司", "challenged_act": "罚款",
        "enforcement_case": ecase.pk, "court_or_organ": "测试县人民法院", "filed_on": "2026-02-02"})
    assert r.status_code == 302
    from yifa.accountability.models import Litigation

    lit = Litigation.objects.get(case_number="（2026）测行初1号")
    c.post(f"/accountability/litigations/{lit.pk}/op/outcome/", {"outcome": "revoked", "on": "2026-05-06"})
    assert not WrongCase.objects.filter(litigation=lit).exists()
    page = c.get(f"/accountability/litigations/{lit.pk}/").content.decode()
    assert "上诉期内（未生效）" in page and "一审" in page and "不服第一审判决提起上诉" in page
    from yifa.core import sweep

    for _ in range(2):
        sweep.run_all(date(2026, 6, 1))
    assert WrongCase.objects.filter(litigation=lit).count() == 1
    page = c.get(f"/accountability/litigations/{lit.pk}/").content.decode()
    # 15 days from 6 May end on 21 May (a Thursday): effective on the 22nd
    assert "已认定错案" in page and "已生效" in page and "2026-05-22" in page
    # other department's legal officer: 404 on the detail, refused on the op
    other = client_for(world.dept_b_legal)
    assert other.get(f"/accountability/litigations/{lit.pk}/").status_code == 404
    assert other.post(f"/accountability/litigations/{lit.pk}/op/outcome/",
                      {"outcome": "revoked", "on": "2026-05-06"}).status_code == 404


def test_wrong_case_visibility(world, client_for, lost):
    wc = WrongCase.objects.get(litigation=lost)
    url = f"/accountability/wrong-cases/{wc.pk}/"
    assert client_for(world.supervisor).get(url).status_code == 200
    assert client_for(world.dept_a_legal).get(url).status_code == 200
    assert client_for(world.dept_b_legal).get(url).status_code == 404
    assert client_for(world.town_a_legal).get(url).status_code == 404
    body = client_for(world.dept_b_legal).get("/accountability/wrong-cases/").content.decode()
    assert wc.title not in body


def test_individual_record_visibility(world, client_for, ecase, lost):
    """Only supervisors, the unit's leaders and the person see an individual's record."""
    wc = WrongCase.objects.get(litigation=lost)
    _do_backtrack(world, wc)
    person = Person.objects.get(user=world.officer_a)  # 赵执法 / 市场执法员
    services.record_decision(actor=world.supervisor, person=person, method=Method.objects.get(code="sanction_demerit"),
                             authority="测试县市场监督管理局", decided_on=date(2026, 1, 5), doc_number="测纪1号",
                             wrong_case=wc, impact_until=date(2027, 1, 5))
    url = f"/accountability/persons/{person.pk}/"
    dept_leader = make_user("t_leader_a", world.dept_a, [Role.LEADER], "市场局局长")
    other_leader = make_user("t_leader_b", world.dept_b, [Role.LEADER], "环境局局长")
    colleague = make_user("t_officer_a2", world.dept_a, [Role.OFFICER], "同事")
    assert client_for(world.supervisor).get(url).status_code == 200
    assert client_for(dept_leader).get(url).status_code == 200
    assert client_for(world.officer_a).get(url).status_code == 200  # the person
    assert client_for(world.dept_a_legal).get(url).status_code == 404  # unit staff, not a leader
    assert client_for(colleague).get(url).status_code == 404
    assert client_for(other_leader).get(url).status_code == 404
    # the decision on the wrong case page: hidden from the unit's legal officer
    wc_page = client_for(world.dept_a_legal).get(f"/accountability/wrong-cases/{wc.pk}/").content.decode()
    assert "测纪1号" not in wc_page
    assert "测纪1号" in client_for(world.supervisor).get(f"/accountability/wrong-cases/{wc.pk}/").content.decode()
    # the person sees the restriction on their own page
    page = client_for(world.officer_a).get(url + "?on=2026-06-01").content.decode()
    assert "影响期内" in page and "2027-01-05" in page
    # API the same
    assert client_for(colleague).get(f"/api/v1/accountability/persons/{person.pk}/").status_code == 404
    assert client_for(dept_leader).get(f"/api/v1/accountability/persons/{person.pk}/").status_code == 200
    ids = [r["id"] for r in client_for(world.dept_a_legal).get("/api/v1/accountability/decisions/").json()["results"]]
    assert ids == []


def test_restriction_badge_tag(world, rf, ecase, lost):
    from django.template import Context, Template

    wc = WrongCase.objects.get(litigation=lost)
    _do_backtrack(world, wc)
    person = Person.objects.get(officer=ecase.o2)
    services.record_decision(actor=world.supervisor, person=person, method=Method.objects.get(code="sanction_demerit"),
                             authority="局", decided_on=date(2026, 1, 5), doc_number="测纪2号", wrong_case=wc,
                             impact_until=date(2027, 1, 5))
    tpl = Template("{% load accountability_tags %}{% restriction_badge officer on %}")
    req = rf.get("/")
    req.user = world.supervisor
    html = tpl.render(Context({"request": req, "officer": ecase.o2, "on": date(2026, 12, 31)}))
    assert "影响期内" in html and "2027-01-05" in html
    req.user = world.dept_b_legal
    assert "影响期" not in tpl.render(Context({"request": req, "officer": ecase.o2, "on": date(2026, 12, 31)}))


def test_recommendation_download_docx(world, client_for, lost):
    wc = WrongCase.objects.get(litigation=lost)
    _do_backtrack(world, wc)
    rec = services.issue_recommendation(actor=world.supervisor, wrong_case=wc, authority="测试县市场监督管理局党组",
                                        feedback_due=date(2025, 10, 1), on=date(2025, 9, 1))
    r = client_for(world.supervisor).get(f"/accountability/recommendations/{rec.pk}/download/docx/")
    assert r.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content)).read(
        "word/document.xml").decode()
    assert "错案问责" in xml and "证据是否充分" in xml and "缺少现场勘查笔录" in xml
    assert client_for(world.dept_b_legal).get(f"/accountability/recommendations/{rec.pk}/download/docx/").status_code == 404


def test_stats_export_and_drill_down(world, client_for, lost):
    wc = WrongCase.objects.get(litigation=lost)
    _do_backtrack(world, wc)
    c = client_for(world.supervisor)
    page = c.get("/accountability/stats/?start=2025-01-01&end=2025-12-31").content.decode()
    assert world.dept_a.name in page and f"unit={world.dept_a.pk}&trigger=litigation_lost" in page
    r = c.get(f"/accountability/wrong-cases/?unit={world.dept_a.pk}&trigger=litigation_lost&start=2025-01-01"
              "&end=2025-12-31")
    assert wc.title in r.content.decode()
    r = c.get(f"/accountability/wrong-cases/?unit={world.dept_b.pk}&trigger=litigation_lost")
    assert wc.title not in r.content.decode()
    x = c.get("/accountability/stats/?start=2025-01-01&end=2025-12-31&format=xlsx")
    assert x.status_code == 200
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(b"".join(x.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    dept = next(r for r in rows if r[0] == world.dept_a.name)
    assert dept[1] == 1 and dept[7] == 2  # one lost lawsuit, two evidence problems


def test_notice_and_session(world, client_for, lost):
    wc = WrongCase.objects.get(litigation=lost)
    _do_backtrack(world, wc)
    c = client_for(world.supervisor)
    r = c.post("/accountability/notices/new/", {"year": 2025, "quarter": 3, "typical_cases": [wc.pk],
                                                "requirements": "各单位要举一反三。", "on": "2025-10-09"})
    assert r.status_code == 302, r.content.decode()[:2000]
    from yifa.accountability.models import EducationSession, Notice

    n = Notice.objects.get(org=world.supervision_office)
    assert n.figures["wrong_cases"] == 1 and n.document.doc_type == "notice"
    assert {x["code"]: x["count"] for x in n.figures["by_check"]}["evidence"] == 2
    assert list(n.typical_cases.all()) == [wc]
    r = c.post("/accountability/sessions/new/", {"org": world.supervision_office.pk, "kind": "warning",
                                                 "title": "错案警示教育会", "held_on": "2025-10-15",
                                                 "units": [world.dept_a.pk], "attendance": 85,
                                                 "wrong_cases": [wc.pk]})
    assert r.status_code == 302
    assert EducationSession.objects.get(title="错案警示教育会").attendance == 85


@pytest.mark.parametrize("url", ["/accountability/wrong-cases/", "/accountability/litigations/",
                                 "/accountability/persons/", "/accountability/decisions/"])
def test_list_query_count_flat(world, client_for, url):
    from yifa.accountability.models import Decision, Litigation

    c = client_for(world.supervisor)

    def add(n):
        for i in range(n):
            lit = Litigation.objects.create(org=world.dept_a, case_number=f"Q{url}{i}-{Litigation.objects.count()}",
                                            claimant="甲", challenged_act="乙", filed_on=date(2025, 1, 1), court="法院")
            wc = WrongCase.objects.create(org=world.dept_a, trigger="litigation_lost", source_key=f"q:{lit.pk}",
                                          litigation=lit, title=f"Q{i}", opened_on=date(2025, 2, 1))
            from yifa.accountability.models import Backtrack

            Backtrack.objects.create(org=world.dept_a, wrong_case=wc, started_on=date(2025, 2, 1))
            p = Person.objects.create(org=world.dept_a, name=f"人{i}")
            Decision.objects.create(org=world.dept_a, person=p, method=Method.objects.first(), authority="局",
                                    decided_on=date(2025, 3, 1), doc_number="1")

    add(2)
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        c.get(url)
    add(8)
    with CaptureQueriesContext(connection) as many:
        c.get(url)
    assert len(many.captured_queries) <= len(few.captured_queries) + 1


def test_rules_adopted_linked_by_generic_source(world, client_for, lost):
    pytest.importorskip("yifa.supervision.meetings.services")
    from yifa.accountability import selectors
    from yifa.supervision.meetings import services as meeting_services

    wc = WrongCase.objects.get(litigation=lost)
    meeting_services.adopt_rule(actor=None, org=world.dept_a, title="《证据收集规范》", adopted_on=date(2025, 9, 1),
                                source=wc, text="规范内容")
    page = client_for(world.supervisor).get(f"/accountability/wrong-cases/{wc.pk}/").content.decode()
    assert "《证据收集规范》" in page
    assert selectors.accountability_metrics(world.county, date(2025, 1, 1), date(2025, 12, 31))["rules_adopted"] == 1


def test_restriction_badge_ignores_non_persons_and_users_without_record(world, rf):
    from django.template import Context, Template

    tpl = Template("{% load accountability_tags %}{% restriction_badge subject %}")
    req = rf.get("/")
    req.user = world.supervisor
    assert tpl.render(Context({"request": req, "subject": world.dept_a})).strip() == ""
    assert tpl.render(Context({"request": req, "subject": world.officer_a})).strip() == ""
