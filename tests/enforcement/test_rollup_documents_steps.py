"""The board's open-load rollup (kept equal to a direct count by the services and the
sweep), bounded monitoring pages, the 法制审核意见书 issued through the documents app, and
the payment / change / annulment steps of the API."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yifa.core.sweep import run_all
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.documents.models import IssuedDocument
from yifa.enforcement import selectors, services
from yifa.enforcement.models import Case, OpenLoadAsOf, OpenLoadRollup, ProcessRecord

pytestmark = pytest.mark.django_db


def _case(world, lib, **kw):
    base = dict(actor=world.officer_a, org=world.dept_a, item=lib.item, filed_on=date(2026, 8, 3), title="案由甲",
                party_name="李四", officers=[lib.o1, lib.o2], sanction="fine", amount=Decimal("5000"),
                circumstance="general")
    base.update(kw)
    return services.file_case(**base)


def _move(case, action, user, on, **kw):
    return services.move_case(Case.objects.get(pk=case.pk), action, actor=user, on=on, **kw)


def direct_counts(day):
    """What the board must show, counted straight from the open cases."""
    out = {}
    for c in Case.objects.filter(is_open=True).prefetch_related("officers"):
        state = services.due_state(c.due, c.yellow_from, day)
        keys = [("org", c.org_id), ("handler", c.handler_id or 0), ("item", c.item_id)]
        keys += [("officer", o.pk) for o in c.officers.all()]
        for k in keys:
            cnt = out.setdefault(k, Counter())
            cnt["total"] += 1
            cnt[state] += 1
    return {k: (v["total"], v["red"], v["yellow"]) for k, v in out.items()}


def rollup_counts():
    out = Counter()
    for r in OpenLoadRollup.objects.all():
        for i, f in enumerate(("total", "red", "yellow")):
            out[(r.dim, r.key, i)] += getattr(r, f)
    keys = {(d, k) for d, k, _ in out}
    return {k: tuple(out[(*k, i)] for i in range(3)) for k in keys if out[(*k, 0)]}


def board_counts(user, day):
    b = selectors.board(user, day)
    out = {}
    for dim, rows, key in (("org", b["by_org"], "org_id"), ("handler", b["by_handler"], "handler_id"),
                           ("item", b["by_item"], "item_id"), ("officer", b["by_officer"], "officer_id")):
        for r in rows:
            out[(dim, r[key] or 0)] = (r["total"], r["red"], r["yellow"])
    return b["totals"], out


def test_rollup_follows_every_service_and_equals_a_direct_count(world, lib, monkeypatch):
    today = date(2026, 11, 28)
    services.rebuild_open_load(today)
    assert rollup_counts() == direct_counts(today)  # the world's own cases in the townships
    a = _case(world, lib, filed_on=date(2026, 8, 3), title="将超期")  # due 2026-11-02: red on the 28th
    b = _case(world, lib, filed_on=date(2026, 9, 28), title="正常", source_case_no="S-B")
    c = _case(world, lib, filed_on=date(2026, 9, 1), title="将结案", source_case_no="S-C")
    assert rollup_counts() == direct_counts(today)
    # a transition moves the nearest deadline, an edit moves the officers and the handler
    _move(a, "investigate", world.officer_a, date(2026, 8, 4))
    services.update_case(actor=world.officer_a, case=Case.objects.get(pk=b.pk),
                         data={"officers": [lib.o1, lib.expired], "handler": world.dept_a_legal})
    # closing takes the case off the board
    _move(c, "dismiss", world.officer_a, date(2026, 9, 2), reason="不予立案")
    assert rollup_counts() == direct_counts(today)
    totals, by = board_counts(world.supervisor, today)
    assert by == direct_counts(today)
    assert totals["total"] == Case.objects.filter(is_open=True).count()
    totals, _ = board_counts(world.dept_a_legal, today)
    assert totals == {"total": 2, "red": 1, "yellow": 0, "normal": 1}
    assert by[("officer", lib.expired.pk)] == (1, 0, 0) and by[("officer", lib.o2.pk)] == (1, 1, 0)
    # the board reads the rollup, not the cases
    with CaptureQueriesContext(connection) as q:
        selectors.board(world.supervisor, today)
    assert not [x for x in q.captured_queries if 'FROM "enforcement_case"' in x["sql"]]
    # a sibling township sees none of it
    assert selectors.board(world.dept_b_legal, today)["totals"]["total"] == 0
    # the next day the sweep moves red/yellow with the date (b: due 2026-12-28, yellow from its warning day)
    later = date(2026, 12, 27)
    assert run_all(later)["enforcement.board"]["board_rollup_rebuilt"] == 1
    assert run_all(later)["enforcement.board"]["board_rollup_rebuilt"] == 0  # idempotent
    assert OpenLoadAsOf.objects.get().day == later
    assert rollup_counts() == direct_counts(later)
    totals, _ = board_counts(world.dept_a_legal, later)
    assert totals["yellow"] == 1 and totals["red"] == 1
    # a drifted rollup (e.g. a bulk load) is repaired by the rebuild
    OpenLoadRollup.objects.update(total=99)
    services.rebuild_open_load(later)
    assert rollup_counts() == direct_counts(later)


def test_board_rebuilds_itself_when_the_sweep_has_not_run_today(world, lib):
    _case(world, lib, filed_on=date(2026, 8, 3))
    services.rebuild_open_load(date(2026, 9, 1))  # yesterday's figures: not red yet
    totals, _ = board_counts(world.dept_a_legal, date(2026, 11, 28))
    assert totals["red"] == 1 and OpenLoadAsOf.objects.get().day == date(2026, 11, 28)


def test_import_rollback_leaves_the_rollup_unchanged(world, lib):
    from yifa.enforcement import imports

    services.rebuild_open_load(date(2026, 11, 28))
    before = rollup_counts()
    rows = [{"source_case_no": "I-1", "org_code": "T-DA", "item_code": "SCJG-001", "case_type": "行政处罚",
             "filed_on": "2026-08-03", "title": "甲", "party_name": "王五"},
            {"source_case_no": "I-2", "org_code": "T-DA", "item_code": "NOPE", "case_type": "行政处罚",
             "filed_on": "2026-08-03", "title": "乙", "party_name": "赵六"}]
    batch = imports.import_rows(actor=world.officer_a, kind="cases", rows=rows, source_system="sys")
    assert batch.errors and rollup_counts() == before ==  direct_counts(date(2026, 11, 28))
    batch = imports.import_rows(actor=world.officer_a, kind="cases", rows=rows[:1], source_system="sys")
    assert not batch.errors and rollup_counts() == direct_counts(date(2026, 11, 28)) != before


def test_overdue_list_is_one_query_with_a_capped_count(world, lib, client_for):
    for i in range(5):
        _case(world, lib, filed_on=date(2026, 8, 3), title=f"超期{i}", source_case_no=f"R{i}")
    c = client_for(world.supervisor)
    url = f"/enforcement/monitoring/cases/?status=red&org={world.dept_a.pk}"
    resp = c.get(url)
    body = resp.content.decode()
    assert "超期4" in body and "共 5 件" in body
    n, more = selectors.capped_count(selectors.board_cases(world.supervisor, date(2026, 11, 28), status="red"), 3)
    assert (n, more) == (3, True)
    with CaptureQueriesContext(connection) as q:
        rows = list(selectors.board_cases(world.supervisor, date(2026, 11, 28), status="red", org=world.dept_a)[:31])
    assert len(rows) == 5 and len(q) == 2  # the unit's ids, then the cases
    page = client_for(world.dept_b_legal).get("/enforcement/monitoring/cases/?status=red").content.decode()
    assert page[page.index('<main'):].count("超期") <= 1  # only the heading


def test_case_detail_pages_records_and_history(world, lib, client_for, django_assert_max_num_queries):
    case = _case(world, lib)
    ProcessRecord.objects.bulk_create([
        ProcessRecord(case=case, org=case.org, step="filed", kind="photo", file=f"enforcement/x{i}.png",
                      original_name=f"照片{i:02d}.png", content_type="image/png", size=10, sm3="0" * 64)
        for i in range(45)])
    for i in range(30):
        services.update_case(actor=world.officer_a, case=Case.objects.get(pk=case.pk), data={"facts": f"事实{i}"})
    c = client_for(world.officer_a)
    with django_assert_max_num_queries(22):
        body = c.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "照片44.png" in body and "照片24.png" not in body  # newest 20 first
    assert 'id="records-pages"' in body and 'id="history-pages"' in body
    timeline = body[body.index('id="timeline"'):]
    assert timeline.count("修改案件信息") == 20 and "case.update" not in body  # in words
    page3 = c.get(f"/enforcement/cases/{case.pk}/?records_page=3").content.decode()
    assert "照片00.png" in page3 and "照片20.png" not in page3
    assert c.get(f"/enforcement/cases/{case.pk}/?records_page=x").status_code == 200


def _to_review(world, lib):
    case = _case(world, lib, amount=Decimal("20000"))  # ≥ 10,000 for an individual: 法制审核 required
    _move(case, "investigate", world.officer_a, date(2026, 8, 4))
    services.update_case(actor=world.officer_a, case=Case.objects.get(pk=case.pk), data={"rights_waived": True})
    _move(case, "notify", world.officer_a, date(2026, 8, 10))
    return _move(case, "submit_review", world.officer_a, date(2026, 8, 11))


def test_legal_review_issues_the_opinion_document(world, lib, client_for):
    case = _to_review(world, lib)
    services.record_legal_review(actor=world.dept_a_legal, case=case, result="passed", opinion="事实清楚，同意。",
                                 on=date(2026, 8, 12))
    doc = IssuedDocument.objects.get(owner_type="enforcement.case", owner_id=str(case.pk))
    assert doc.doc_type == "legal_review_opinion" and doc.org == world.dept_a and "法审" in doc.doc_number
    assert "事实清楚，同意。" in str(doc.content) and doc.docx_sm3 and doc.pdf_sm3
    c = client_for(world.officer_a)
    body = c.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert doc.doc_number in body
    for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF")):
        resp = c.get(f"/enforcement/cases/{case.pk}/documents/{doc.pk}/{fmt}/")
        assert resp.status_code == 200
        assert b"".join(resp.streaming_content).startswith(magic)
    assert c.get(f"/enforcement/cases/{case.pk}/documents/{doc.pk}/exe/").status_code == 404
    assert client_for(world.dept_b_legal).get(f"/enforcement/cases/{case.pk}/documents/{doc.pk}/pdf/") \
        .status_code == 404
    # a document of another record is not served under this case
    other = _case(world, lib, source_case_no="OTHER")
    assert c.get(f"/enforcement/cases/{other.pk}/documents/{doc.pk}/pdf/").status_code == 404
    # a refused review is issued too; through the API
    case2 = _to_review(world, lib)
    resp = client_for(world.dept_a_legal).post(
        f"/api/v1/enforcement/cases/{case2.pk}/legal-review/",
        {"result": "rejected", "opinion": "罚款金额依据不足。", "on": "2026-08-12"}, content_type="application/json")
    assert resp.status_code == 200
    assert IssuedDocument.objects.filter(owner_id=str(case2.pk), doc_type="legal_review_opinion").count() == 1


def test_review_document_failure_rolls_back_the_review(world, lib, monkeypatch):
    from yifa.core.errors import DomainError

    case = _to_review(world, lib)

    def boom(**kw):
        raise DomainError("渲染失败")

    monkeypatch.setattr("yifa.documents.services.issue_document", boom)
    with pytest.raises(DomainError):
        services.record_legal_review(actor=world.dept_a_legal, case=case, result="passed", opinion="同意。")
    assert Case.objects.get(pk=case.pk).legal_review_result == ""


def _decided_and_served(world, lib, client):
    case = _to_review(world, lib)
    services.record_legal_review(actor=world.dept_a_legal, case=case, result="passed", opinion="同意。",
                                 on=date(2026, 8, 12))
    url = f"/api/v1/enforcement/cases/{case.pk}/transitions/"
    assert client.post(url, {"action": "decide", "on": "2026-08-13"}, content_type="application/json") \
        .status_code == 200
    resp = client.post(url, {"action": "serve", "on": "2026-08-14"}, content_type="application/json")
    assert resp.status_code == 200
    return case, url


def test_api_payment_step(world, lib, client_for):
    c = client_for(world.officer_a)
    case, url = _decided_and_served(world, lib, c)
    pay = deadlines_for_owner(case).get(rule__code="penalty.payment")
    assert pay.state == "open" and pay.due == date(2026, 8, 31)  # 15 CD: the 29th is a Saturday
    resp = c.post(url, {"action": "close", "on": "2026-08-20"}, content_type="application/json")
    assert resp.status_code == 409 and "第六十七条" in resp.json()["message"]
    resp = c.post(url, {"action": "pay", "on": "2026-08-13"}, content_type="application/json")
    assert resp.status_code == 409 and "送达" in resp.json()["message"]
    resp = c.post(url, {"action": "pay", "on": "2026-08-20"}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == "executing"
    assert Case.objects.get(pk=case.pk).paid_on == date(2026, 8, 20)
    pay.refresh_from_db()
    assert pay.state == "met"
    resp = c.post(url, {"action": "pay", "on": "2026-08-21"}, content_type="application/json")
    assert resp.status_code == 409 and "已于" in resp.json()["message"]
    resp = c.post(url, {"action": "close", "on": "2026-08-22"}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == "closed"
    assert Case.objects.get(pk=case.pk).on_time is True
    # another unit cannot act on it
    assert client_for(world.dept_b_legal).post(url, {"action": "pay"}, content_type="application/json") \
        .status_code == 404


def test_api_annulment_withdraws_publicity(world, lib, client_for, client):
    c = client_for(world.officer_a)
    case, url = _decided_and_served(world, lib, c)
    services.publish(actor=world.officer_a, case=Case.objects.get(pk=case.pk), on=date(2026, 8, 15))
    assert client.get(f"/enforcement/public/{case.pk}/").status_code == 200
    resp = c.post(url, {"action": "annul_decision", "on": "2026-09-01"}, content_type="application/json")
    assert resp.status_code == 400 and "理由" in resp.json()["message"]
    resp = c.post(url, {"action": "annul_decision", "on": "2026-09-01", "reason": "行政复议决定撤销"},
                  content_type="application/json")
    assert resp.status_code == 200
    body = resp.json()
    assert body["state"] == "closed" and body["publicity_state"] == "withdrawing"
    case = Case.objects.get(pk=case.pk)
    assert case.decision_change == "annulled" and case.decision_changed_on == date(2026, 9, 1) and not case.is_open
    d = deadlines_for_owner(case).get(rule__code="penalty.publicity_withdraw")
    assert d.due == date(2026, 9, 4) and d.state == "open"
    assert deadlines_for_owner(case).get(rule__code="penalty.payment").state != "open"
    resp = c.post(f"/api/v1/enforcement/cases/{case.pk}/withdraw/", {"reason": "已撤销", "on": "2026-09-02"},
                  content_type="application/json")
    assert resp.status_code == 200 and resp.json()["publicity_state"] == "withdrawn"
    assert client.get(f"/enforcement/public/{case.pk}/").status_code == 404
    # an annulled decision is not published again
    resp = c.post(f"/api/v1/enforcement/cases/{case.pk}/publish/", {}, content_type="application/json")
    assert resp.status_code in (400, 409) and "撤销" in resp.json()["message"]


def test_api_change_withdraws_then_republishes_and_annul_before_publicity(world, lib, client_for):
    c = client_for(world.officer_a)
    case, url = _decided_and_served(world, lib, c)
    services.publish(actor=world.officer_a, case=Case.objects.get(pk=case.pk), on=date(2026, 8, 15))
    resp = c.post(url, {"action": "change_decision", "on": "2026-08-20", "reason": "复议变更罚款金额"},
                  content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == "served"
    assert resp.json()["publicity_state"] == "withdrawing"
    case = Case.objects.get(pk=case.pk)
    assert case.decision_change == "changed" and case.is_open
    services.withdraw(actor=world.officer_a, case=case, on=date(2026, 8, 21))
    assert services.publish(actor=world.officer_a, case=case, on=date(2026, 8, 22)).publicity_state == "published"
    # annulled before it was published: nothing is published, the publicity deadline stops
    case2, url2 = _decided_and_served(world, lib, c)
    resp = c.post(url2, {"action": "annul_decision", "on": "2026-08-20", "reason": "自行撤销"},
                  content_type="application/json")
    assert resp.status_code == 200 and resp.json()["publicity_state"] == "none"
    assert deadlines_for_owner(case2).get(rule__code="penalty.publicity").state != "open"


def test_first_use_on_existing_cases_counts_them_once(world, lib):
    """A database that had cases before the rollup existed: the first write counts them all."""
    _case(world, lib, source_case_no="OLD-1")
    OpenLoadRollup.objects.all().delete()
    OpenLoadAsOf.objects.all().delete()
    _case(world, lib, source_case_no="NEW-1")
    day = OpenLoadAsOf.objects.get().day
    assert rollup_counts() == direct_counts(day)
