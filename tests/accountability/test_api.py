"""API: the whole journey, error format, scope."""

from datetime import date

from yifa.accountability.models import Circumstance, ExemptionReason, Method, Person, WrongCase


def test_api_journey(world, client_for, ecase):
    c = client_for(world.supervisor)
    base = "/api/v1/accountability"
    r = c.post(f"{base}/litigations/", {"org": world.dept_a.pk, "case_number": "API-1", "claimant": "甲公司",
                                        "challenged_act": "罚款", "enforcement_case": ecase.pk,
                                        "court_or_organ": "测试县人民法院", "filed_on": "2026-01-05"},
               content_type="application/json")
    assert r.status_code == 201, r.json()
    lit = r.json()["id"]
    r = c.post(f"{base}/litigations/{lit}/outcome/", {"outcome": "confirmed_illegal", "on": "2026-03-02"},
               content_type="application/json")
    assert r.status_code == 200
    data = r.json()
    assert data["appeal_state"] == "awaiting" and data["appeal_state_label"] == "上诉期内（未生效）"
    assert data["effective_on"] is None and data["instance_label"] == "一审"
    # a second first-instance outcome is refused; nothing is a wrong case before it is effective
    r = c.post(f"{base}/litigations/{lit}/outcome/", {"outcome": "confirmed_illegal", "on": "2026-03-02"},
               content_type="application/json")
    assert r.status_code == 409
    assert not [w for w in c.get(f"{base}/wrong-cases/").json()["results"] if w["litigation"] == lit]
    from yifa.accountability.services import settle_appeal_periods

    assert settle_appeal_periods(date(2026, 3, 20)) == 1
    data = c.get(f"{base}/litigations/{lit}/").json()
    # 15 days from 2026-03-02 end on 03-17 (a Tuesday): effective the day after
    assert data["appeal_state"] == "effective" and data["effective_on"] == "2026-03-18"
    assert data["effective_outcome_label"] == "确认违法"
    wcs = c.get(f"{base}/wrong-cases/").json()["results"]
    mine = [w for w in wcs if w["litigation"] == lit]
    assert len(mine) == 1 and mine[0]["trigger"] == "litigation_lost"
    wc = mine[0]["id"]
    # closing now is refused with 409 and the documented error body
    r = c.post(f"{base}/wrong-cases/{wc}/close/", {}, content_type="application/json")
    assert r.status_code == 409 and set(r.json()) == {"code", "message", "fields"}
    for kind in ("decision_procedure", "enforcement_basis", "evidence", "law_application"):
        body = {"kind": kind, "has_problem": kind == "evidence", "finding": "结论", "on": "2026-03-20",
                "problems": [{"category": "evidence", "description": "缺少笔录"}] if kind == "evidence" else []}
        assert c.post(f"{base}/wrong-cases/{wc}/check/", body, content_type="application/json").status_code == 200
    data = c.get(f"{base}/wrong-cases/{wc}/").json()
    assert len(data["backtrack"]["checks"]) == 4
    method = Method.objects.get(code="sanction_demerit")
    for inv in data["backtrack"]["involvements"]:
        r = c.post(f"{base}/wrong-cases/{wc}/confirm/", {"involvement": inv["id"], "fault_share": "secondary",
                                                         "reasons": "理由", "proposed_method": method.pk,
                                                         "circumstance": Circumstance.objects.first().pk},
                   content_type="application/json")
        assert r.status_code == 200, r.json()
    r = c.post(f"{base}/wrong-cases/{wc}/complete/", {"summary": "证据不足", "on": "2026-03-25"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "backtracked"
    r = c.post(f"{base}/wrong-cases/{wc}/recommend/", {"authority": "党组", "feedback_due": "2026-04-30",
                                                       "on": "2026-03-28"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["doc_number"]
    person = Person.objects.get(officer=ecase.o2)
    body = {"person": person.pk, "method": method.pk, "authority": "局", "decided_on": "2026-04-10",
            "doc_number": "纪1号", "impact_until": "2026-10-10"}
    r = c.post(f"{base}/wrong-cases/{wc}/decision/", body, content_type="application/json")
    assert r.status_code == 400 and "impact_until" in r.json()["fields"]
    body["impact_until"] = "2027-04-10"
    r = c.post(f"{base}/wrong-cases/{wc}/decision/", body, content_type="application/json")
    assert r.status_code == 201, r.json()
    r = c.get(f"{base}/persons/{person.pk}/restriction/?on=2027-04-10").json()
    assert r["promotion"] and r["until"] == "2027-04-10"
    assert not c.get(f"{base}/persons/{person.pk}/restriction/?on=2027-04-11").json()["promotion"]
    assert c.get(f"{base}/persons/{person.pk}/restriction/?on=bad").status_code == 400
    r = c.post(f"{base}/wrong-cases/{wc}/close/", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "closed"
    cat = c.get(f"{base}/catalogue/").json()
    assert len(cat["circumstances"]) == 28 and any(m["impact_months"] == 12 for m in cat["methods"])
    stats = c.get(f"{base}/stats/?start=2026-01-01&end=2026-12-31").json()
    assert stats["total"]["backtracks_by_source"]["litigation_lost"] >= 1
    assert stats["total"]["persons_by_method"]["sanction_demerit"] == 1


def test_api_scope_and_roles(world, client_for, lost):
    wc = WrongCase.objects.get(litigation=lost)
    base = "/api/v1/accountability"
    assert client_for(world.dept_b_legal).get(f"{base}/wrong-cases/{wc.pk}/").status_code == 404
    assert client_for(world.dept_a_legal).get(f"{base}/wrong-cases/{wc.pk}/").status_code == 200
    # a department legal officer cannot register against another department
    r = client_for(world.dept_b_legal).post(f"{base}/litigations/", {
        "org": world.dept_a.pk, "case_number": "X", "claimant": "甲", "challenged_act": "乙",
        "court_or_organ": "法院", "filed_on": "2026-01-05"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["fields"]["org"]
    # exemption and closing are the supervisor's
    r = client_for(world.dept_a_legal).post(f"{base}/wrong-cases/{wc.pk}/exempt/", {
        "reason": ExemptionReason.objects.first().pk, "text": "说明"}, content_type="application/json")
    assert r.status_code == 403
    # a wrong case from a finding: refused without confirmation when the finding has no is_major
    from yifa.supervision.models import Finding

    f = Finding.objects.create(org=world.dept_a, category="procedure", description="重大", raised_on=date(2026, 1, 2))
    r = client_for(world.supervisor).post(f"{base}/wrong-cases/", {"finding": f.pk, "on": "2026-01-03"},
                                          content_type="application/json")
    if hasattr(f, "is_major"):
        assert r.status_code == 400
    else:
        assert r.status_code == 400 and "confirm_major" in r.json()["fields"]
    r = client_for(world.supervisor).post(f"{base}/wrong-cases/", {"finding": f.pk, "on": "2026-01-03",
                                                                   "confirm_major": True},
                                          content_type="application/json")
    if not hasattr(f, "is_major"):
        assert r.status_code == 201 and r.json()["trigger"] == "supervision_found"


def test_todos_and_sweep(world, lost):
    from yifa.accountability.sweep import overdue_feedback
    from yifa.accountability.todos import wrong_case_todos

    todos = wrong_case_todos(world.dept_a_legal)
    assert any("错案倒查" in t.title for t in todos)
    assert wrong_case_todos(world.dept_b_legal) == [] or all("测0102" not in t.title for t in wrong_case_todos(
        world.dept_b_legal))
    assert overdue_feedback(date(2026, 1, 1)) == {"notifications": 0}


def test_notice_with_control_characters_is_not_a_server_error(world, client_for):
    c = client_for(world.supervisor)
    r = c.post("/api/v1/accountability/notices/", {"year": 2016, "quarter": 3,
               "requirements": "¢õö\x06\x0f\ud83d5_úE\x065"}, content_type="application/json")
    assert r.status_code in (201, 400), r.content[:300]
