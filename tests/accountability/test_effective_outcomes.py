"""Wrong-case triggers count the effective outcome (LEGAL_RULES.md, *Wrong-case triggers*):
appeal periods, second instance, withdrawal of a wrong case opened too early, 隐性败诉, head
absence with or without a 正当理由; impact periods of party discipline and 组织处理."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from yifa.accountability import services
from yifa.accountability.models import Method, WrongCase
from yifa.audit.models import AuditEvent
from yifa.core import sweep
from yifa.core.errors import DomainError, IllegalTransition
from yifa.deadlines.models import TrackedDeadline

pytestmark = pytest.mark.django_db


def _litigation(world, n, ecase=None, instance="first"):
    return services.register_challenge(actor=world.dept_a_legal, kind="litigation", org=world.dept_a,
                                       case_number=f"（2025）测0102行初{n}号", claimant="某商贸有限公司",
                                       challenged_act="行政处罚决定", filed_on=date(2025, 4, 1),
                                       court_or_organ="测试县人民法院", enforcement_case=ecase, instance=instance)


def _appeal_deadline(lit):
    return TrackedDeadline.objects.get(owner_type="accountability.litigation", owner_id=str(lit.pk))


def test_first_instance_loss_reversed_on_appeal_opens_no_wrong_case(world, ecase):
    lit = _litigation(world, 21, ecase)
    services.record_outcome(actor=world.dept_a_legal, challenge=lit, outcome="revoked", on=date(2025, 8, 1),
                            served_on=date(2025, 8, 4))
    lit.refresh_from_db()
    assert lit.appeal_state == "awaiting" and lit.effective_on is None
    d = _appeal_deadline(lit)
    assert d.rule.code == "judgment.appeal" and d.start == date(2025, 8, 4) and d.due == date(2025, 8, 19)
    assert not WrongCase.objects.filter(litigation=lit).exists()
    services.record_appeal(actor=world.dept_a_legal, litigation=lit, on=date(2025, 8, 15), appellant="县市场监管局")
    d.refresh_from_db()
    assert d.state == "met"
    # the appeal period passes: an appealed outcome is not made effective by the sweep
    sweep.run_all(date(2025, 9, 1))
    lit.refresh_from_db()
    assert lit.appeal_state == "appealed" and not WrongCase.objects.filter(litigation=lit).exists()
    services.record_second_instance(actor=world.dept_a_legal, litigation=lit, outcome="upheld",
                                    on=date(2025, 11, 3), number="（2025）测01行终8号")
    lit.refresh_from_db()
    assert (lit.appeal_state, lit.effective_outcome, lit.effective_on) == ("effective", "upheld", date(2025, 11, 3))
    sweep.run_all(date(2025, 12, 1))
    assert not WrongCase.objects.filter(litigation=lit).exists()
    # nothing more can be recorded on the first instance
    with pytest.raises(IllegalTransition):
        services.record_appeal(actor=world.dept_a_legal, litigation=lit, on=date(2025, 11, 5), appellant="原告")


def test_unappealed_loss_becomes_effective_once_across_a_holiday(world, ecase):
    lit = _litigation(world, 22, ecase)
    # served 20 Sept 2025: 15 days end on 5 Oct, inside the National Day holiday (1–8 Oct): 9 Oct
    services.record_outcome(actor=world.dept_a_legal, challenge=lit, outcome="confirmed_illegal",
                            on=date(2025, 9, 18), served_on=date(2025, 9, 20))
    assert _appeal_deadline(lit).due == date(2025, 10, 9)
    assert services.settle_appeal_periods(date(2025, 10, 9)) == 0  # the last day of the period: not yet
    lit.refresh_from_db()
    assert lit.appeal_state == "awaiting" and not WrongCase.objects.filter(litigation=lit).exists()
    first = sweep.run_all(date(2025, 10, 10))["accountability.appeal_periods"]
    second = sweep.run_all(date(2025, 10, 11))["accountability.appeal_periods"]
    assert (first, second) == ({"effective": 1}, {"effective": 0})
    lit.refresh_from_db()
    assert (lit.appeal_state, lit.effective_outcome, lit.effective_on) == ("effective", "confirmed_illegal",
                                                                          date(2025, 10, 10))
    wc = WrongCase.objects.get(litigation=lit)
    assert wc.trigger == "litigation_lost" and wc.opened_on == date(2025, 10, 10)
    assert _appeal_deadline(lit).state == "met"
    assert AuditEvent.objects.filter(action="accountability.litigation.effective", object_id=str(lit.pk)).count() == 1


def test_ruling_has_ten_days(world):
    lit = _litigation(world, 23)
    services.record_outcome(actor=world.dept_a_legal, challenge=lit, outcome="revoked", on=date(2025, 6, 2),
                            form="ruling")
    d = _appeal_deadline(lit)
    assert d.rule.code == "ruling.appeal" and d.due == date(2025, 6, 12)
    services.settle_appeal_periods(date(2025, 6, 13))
    assert WrongCase.objects.get(litigation=lit).opened_on == date(2025, 6, 13)


def test_second_instance_loss_opens_on_the_judgment(world):
    lit = _litigation(world, 24)
    services.record_outcome(actor=world.dept_a_legal, challenge=lit, outcome="dismissed", on=date(2025, 6, 2))
    services.record_appeal(actor=world.dept_a_legal, litigation=lit, on=date(2025, 6, 10), appellant="某商贸有限公司")
    with pytest.raises(DomainError):
        services.record_second_instance(actor=world.dept_a_legal, litigation=lit, outcome="revoked",
                                        on=date(2025, 6, 9))
    services.record_second_instance(actor=world.dept_a_legal, litigation=lit, outcome="revoked", on=date(2025, 9, 9))
    assert WrongCase.objects.get(litigation=lit).opened_on == date(2025, 9, 9)


def test_second_instance_needs_an_appeal_and_registered_second_instance_is_effective_at_once(world):
    lit = _litigation(world, 25)
    with pytest.raises(IllegalTransition):
        services.record_second_instance(actor=world.dept_a_legal, litigation=lit, outcome="revoked",
                                        on=date(2025, 9, 9))
    direct = _litigation(world, 26, instance="second")
    services.record_outcome(actor=world.dept_a_legal, challenge=direct, outcome="revoked", on=date(2025, 7, 1))
    direct.refresh_from_db()
    assert direct.appeal_state == "effective" and direct.effective_on == date(2025, 7, 1)
    assert WrongCase.objects.filter(litigation=direct).count() == 1
    assert not TrackedDeadline.objects.filter(owner_type="accountability.litigation", owner_id=str(direct.pk)).exists()


def test_wrong_case_opened_too_early_is_withdrawn_with_reason_when_reversed(world, ecase):
    lit = _litigation(world, 27, ecase)
    services.record_outcome(actor=world.dept_a_legal, challenge=lit, outcome="revoked", on=date(2025, 8, 1))
    # opened on the first-instance loss before it was effective (as records made before this rule were)
    wc, created = services.open_wrong_case(actor=world.supervisor, trigger="litigation_lost", source=lit,
                                           on=date(2025, 8, 2))
    assert created
    services.record_appeal(actor=world.dept_a_legal, litigation=lit, on=date(2025, 8, 10), appellant="县市场监管局")
    # recorded by the unit's legal officer: the withdrawal follows from the effective outcome
    services.record_second_instance(actor=world.dept_a_legal, litigation=lit, outcome="upheld",
                                    on=date(2025, 10, 20))
    wc.refresh_from_db()
    assert wc.state == "withdrawn" and wc.withdrawn_on == date(2025, 10, 20)
    assert "维持" in wc.withdrawn_reason and "不构成错案" in wc.withdrawn_reason
    ev = AuditEvent.objects.get(action="accountability.wrong_case.withdraw", object_id=str(wc.pk))
    assert ev.reason == wc.withdrawn_reason
    bt_deadline = TrackedDeadline.objects.get(owner_type="accountability.backtrack", owner_id=str(wc.backtrack.pk))
    assert bt_deadline.state in ("met", "missed")
    # the backtrack of a withdrawn wrong case cannot go on, and it is no longer a to-do
    with pytest.raises(IllegalTransition):
        services.record_check(actor=world.supervisor, backtrack=wc.backtrack, kind="evidence", has_problem=False,
                              finding="无", on=date(2025, 10, 21))
    from yifa.accountability.todos import wrong_case_todos

    assert not [t for t in wrong_case_todos(world.supervisor) if str(wc.pk) in t.url]
    page = AuditEvent.objects.filter(object_id=str(wc.pk), action__startswith="accountability.wrong_case")
    assert page.count() == 2  # open, withdraw


def test_withdraw_needs_a_supervisor_and_a_reason(world, lost, client_for):
    wc = WrongCase.objects.get(litigation=lost)
    with pytest.raises(DomainError):
        services.withdraw_wrong_case(actor=world.supervisor, wrong_case=wc, reason="  ")
    r = client_for(world.dept_a_legal).post(f"/api/v1/accountability/wrong-cases/{wc.pk}/withdraw/",
                                            {"reason": "录入错误"}, content_type="application/json")
    assert r.status_code == 403
    r = client_for(world.supervisor).post(f"/api/v1/accountability/wrong-cases/{wc.pk}/withdraw/",
                                          {"reason": "案件登记错误，并非本单位被诉"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "withdrawn"
    assert r.json()["withdrawn_reason"] == "案件登记错误，并非本单位被诉"


def test_hidden_loss_change_of_act_then_withdrawal_is_a_trigger(world, ecase):
    lit = _litigation(world, 28, ecase)
    with pytest.raises(DomainError):
        services.record_outcome(actor=world.dept_a_legal, challenge=lit, outcome="upheld", on=date(2025, 7, 1),
                                act_changed=True)
    services.record_outcome(actor=world.dept_a_legal, challenge=lit, outcome="withdrawn", on=date(2025, 7, 1),
                            form="ruling", act_changed=True)
    lit.refresh_from_db()
    assert lit.appeal_state == "effective" and lit.effective_on == date(2025, 7, 1)  # 准予撤诉: no appeal period
    wc = WrongCase.objects.get(litigation=lit)
    assert wc.trigger == "hidden_loss" and wc.get_trigger_display() == "隐性败诉（改变行为后撤诉）"
    # a plain withdrawal is no trigger
    plain = _litigation(world, 29)
    services.record_outcome(actor=world.dept_a_legal, challenge=plain, outcome="withdrawn", on=date(2025, 7, 1),
                            form="ruling")
    assert not WrongCase.objects.filter(litigation=plain).exists()
    # in reconsideration too
    rec = services.register_challenge(actor=world.dept_a_legal, kind="reconsideration", org=world.dept_a,
                                      case_number="测复〔2025〕9号", claimant="张三", challenged_act="罚款",
                                      filed_on=date(2025, 5, 1), court_or_organ="测试县人民政府")
    services.record_outcome(actor=world.dept_a_legal, challenge=rec, outcome="withdrawn", on=date(2025, 6, 1),
                            act_changed=True)
    assert WrongCase.objects.get(reconsideration=rec).trigger == "hidden_loss"


def test_reconsideration_corrected_later_withdraws_the_stale_wrong_case(world):
    rec = services.register_challenge(actor=world.dept_a_legal, kind="reconsideration", org=world.dept_a,
                                      case_number="测复〔2025〕10号", claimant="张三", challenged_act="罚款",
                                      filed_on=date(2025, 5, 1), court_or_organ="测试县人民政府")
    services.record_outcome(actor=world.dept_a_legal, challenge=rec, outcome="revoked", on=date(2025, 6, 1))
    wc = WrongCase.objects.get(reconsideration=rec)
    services.record_outcome(actor=world.supervisor, challenge=rec, outcome="upheld", on=date(2025, 6, 1))
    wc.refresh_from_db()
    assert wc.state == "withdrawn"


def test_head_absence_with_good_reason_is_no_trigger(world):
    lit = _litigation(world, 30)
    services.record_hearing(actor=world.dept_a_legal, litigation=lit, hearing_on=date(2025, 5, 20),
                            head_appeared=False, head_name="王局长", head_post="局长",
                            absence_reason="因突发公共卫生事件在一线值守，已书面说明并委托副局长出庭")
    lit.refresh_from_db()
    assert lit.head_absence_reason.startswith("因突发")
    assert not WrongCase.objects.filter(litigation=lit).exists()
    without = _litigation(world, 31)
    services.record_hearing(actor=world.dept_a_legal, litigation=without, hearing_on=date(2025, 5, 20),
                            head_appeared=False, head_name="王局长", head_post="局长", absence_reason="   ")
    assert WrongCase.objects.get(litigation=without).trigger == "head_absent"


PERIODS = [("party_warning", 12), ("party_serious_warning", 18), ("admonishment", 6), ("adjust_post", 12),
           ("ordered_resignation", 12), ("dismissal_from_post", 12), ("post_demotion", 24)]


@pytest.mark.parametrize("code,months", PERIODS)
def test_restriction_on_for_each_new_method(world, code, months):
    from yifa.deadlines.engine import add_months

    method = Method.objects.get(code=code)
    assert method.impact_months == months and method.impact_editable
    assert method.impact_is_local_default == (not code.startswith("party_"))
    person = services.person_for(org=world.dept_a, name=f"测试人员{code}", post="科长")
    d = services.record_decision(actor=world.supervisor, person=person, method=method, authority="县纪委监委",
                                 decided_on=date(2025, 3, 10), doc_number=f"纪〔2025〕{months}号")
    until = add_months(date(2025, 3, 10), months)
    assert (d.impact_from, d.impact_until, d.impact_basis) == (date(2025, 3, 10), until, method.impact_citation)
    r = services.restriction_on(person, until)
    assert r["promotion"] and r["commendation"] and r["until"] == until and method.name in r["reasons"][0]
    assert not services.restriction_on(person, until + timedelta(days=1))["promotion"]
    assert not services.restriction_on(person, date(2025, 3, 9))["promotion"]


def test_editable_period_needs_a_basis_when_changed(world):
    method = Method.objects.get(code="admonishment")
    person = services.person_for(org=world.dept_a, name="测试人员丁", post="科员")
    kw = dict(actor=world.supervisor, person=person, method=method, authority="县委组织部",
              decided_on=date(2025, 3, 10), doc_number="组〔2025〕1号", impact_until=date(2025, 12, 10))
    with pytest.raises(DomainError):
        services.record_decision(**kw)
    d = services.record_decision(**kw, impact_basis="县委组织部《诫勉实施办法》第八条")
    assert d.impact_until == date(2025, 12, 10) and "实施办法" in d.impact_basis
    assert services.restriction_on(person, date(2025, 12, 10))["promotion"]
    # a statutory 政务处分 period stays exact
    with pytest.raises(DomainError):
        services.record_decision(**{**kw, "method": Method.objects.get(code="sanction_warning")},
                                 impact_basis="另定")


def test_pages_show_instance_appeal_state_effective_date_and_local_defaults(world, client_for):
    lit = _litigation(world, 32)
    services.record_outcome(actor=world.dept_a_legal, challenge=lit, outcome="revoked", on=date(2025, 6, 2))
    c = client_for(world.dept_a_legal)
    url = reverse("accountability:litigation_detail", args=[lit.pk])
    page = c.get(url).content.decode()
    assert "上诉期内（未生效）" in page and 'id="appeal-form"' in page and "尚未生效" in page
    r = c.post(reverse("accountability:litigation_op", args=[lit.pk, "appeal"]),
               {"on": "2025-06-10", "appellant": "县市场监管局", "version": lit.version + 1})
    assert r.status_code == 302
    page = c.get(url).content.decode()
    assert "已上诉，二审审理中" in page and 'id="second-form"' in page and "县市场监管局 提起上诉" in page
    lit.refresh_from_db()
    c.post(reverse("accountability:litigation_op", args=[lit.pk, "second"]),
           {"outcome": "upheld", "on": "2025-09-01", "number": "（2025）测01行终1号", "version": lit.version})
    page = c.get(url).content.decode()
    assert "已生效" in page and "2025-09-01" in page and "（2025）测01行终1号" in page
    catalogue = c.get("/accountability/catalogue/").content.decode()
    assert "党纪处分：严重警告" in catalogue and "本地默认值，未经核实" in catalogue


def test_withdraw_through_the_page_and_withdrawn_cases_are_not_counted(world, lost, client_for):
    from yifa.accountability import selectors

    wc = WrongCase.objects.get(litigation=lost)
    span = (date(2025, 1, 1), date(2025, 12, 31))
    assert selectors.accountability_metrics(world.dept_a, *span)["wrong_cases"] == 1
    c = client_for(world.supervisor)
    url = reverse("accountability:wrong_case_detail", args=[wc.pk])
    assert 'id="withdraw-form"' in c.get(url).content.decode()
    c.post(reverse("accountability:wrong_case_op", args=[wc.pk, "withdraw"]), {"reason": "登记错误，原告已另案起诉"})
    page = c.get(url).content.decode()
    assert "已撤销认定" in page and "登记错误，原告已另案起诉" in page and 'id="withdraw-form"' not in page
    assert selectors.accountability_metrics(world.dept_a, *span)["wrong_cases"] == 0


def test_list_shows_and_filters_the_appeal_state(world, client_for):
    waiting = _litigation(world, 33)
    services.record_outcome(actor=world.dept_a_legal, challenge=waiting, outcome="revoked", on=date(2025, 6, 2))
    done = _litigation(world, 34, instance="second")
    services.record_outcome(actor=world.dept_a_legal, challenge=done, outcome="upheld", on=date(2025, 6, 2))
    c = client_for(world.supervisor)
    page = c.get("/accountability/litigations/?appeal_state=awaiting").content.decode()
    assert waiting.case_number in page and done.case_number not in page and "上诉期内（未生效）" in page
    page = c.get("/accountability/litigations/?appeal_state=effective").content.decode()
    assert done.case_number in page and waiting.case_number not in page and "2025-06-02" in page


def test_good_reason_recorded_later_withdraws_the_head_absence_wrong_case(world):
    lit = _litigation(world, 35)
    services.record_hearing(actor=world.dept_a_legal, litigation=lit, hearing_on=date(2025, 5, 20),
                            head_appeared=False, head_name="王局长", head_post="局长")
    wc = WrongCase.objects.get(litigation=lit, trigger="head_absent")
    services.record_hearing(actor=world.dept_a_legal, litigation=lit, hearing_on=date(2025, 5, 20),
                            head_appeared=False, head_name="王局长", head_post="局长",
                            absence_reason="开庭当日因公出差已经法院准许")
    wc.refresh_from_db()
    assert wc.state == "withdrawn" and "开庭当日因公出差已经法院准许" in wc.withdrawn_reason
    assert AuditEvent.objects.filter(action="accountability.wrong_case.withdraw", object_id=str(wc.pk)).exists()
