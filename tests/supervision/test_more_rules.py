"""The four further online rules: expired certificate, outside the discretion benchmark,
missing process records, repeated fines (以罚代管). Each raises a clue, is idempotent,
respects the per-unit switch, and a supervisor's run stays in scope."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from yifa.enforcement.models import Case, DiscretionBenchmark, EnforcementItem, Officer, ProcessRecord
from yifa.supervision import services
from yifa.supervision.models import Clue
from yifa.supervision.rules import RULES, param, repeated_fines

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 2)


@pytest.fixture
def setup(world):
    item = EnforcementItem.objects.create(org=world.dept_a, code="SUP-R-1", name="规则测试事项", category="penalty",
                                          legal_basis="《测试条例》")
    DiscretionBenchmark.objects.create(item=item, level="general", min_amount=Decimal("1000"),
                                       max_amount=Decimal("5000"))
    good1 = Officer.objects.create(org=world.dept_a, name="甲", certificate_no="R-1", valid_from=date(2024, 1, 1),
                                   valid_to=date(2030, 12, 31))
    good2 = Officer.objects.create(org=world.dept_a, name="乙", certificate_no="R-2", valid_from=date(2024, 1, 1),
                                   valid_to=date(2030, 12, 31))
    expired = Officer.objects.create(org=world.dept_a, name="丙", certificate_no="R-3", valid_from=date(2024, 1, 1),
                                     valid_to=date(2026, 3, 31))
    n = [0]

    def make(org=None, records=True, officers=(good1, good2), **kw):
        n[0] += 1
        no = kw.pop("no", f"R-{n[0]}")
        data = dict(org=org or world.dept_a, case_no=no, title=f"{no}案由", item=item, party_name=f"当事人{no}",
                    party_kind="organisation", filed_on=date(2026, 3, 1), source_case_no=no, state="decided",
                    decided_on=date(2026, 5, 1), sanction="warning")
        data.update(kw)
        c = Case.objects.create(**data)
        c.officers.set(officers)
        if records:
            for kind in ("document", "photo"):
                ProcessRecord.objects.create(case=c, org=c.org, step="investigating", kind=kind,
                                             file=ContentFile(b"%PDF-1.4 x", name="r.pdf"), original_name="r.pdf",
                                             content_type="application/pdf", size=10, sm3="0" * 64)
        return c

    return {"make": make, "good": (good1, good2), "expired": expired}


def _flagged(code):
    return set(Clue.objects.filter(rule_code=code).values_list("case__case_no", flat=True))


def _check_idempotent_and_switch(world, code, case_no):
    services.run_rules(today=TODAY, rule_codes=[code])
    assert case_no in _flagged(code)
    n = Clue.objects.count()
    assert services.run_rules(today=TODAY, rule_codes=[code]) == {code: 0}
    assert Clue.objects.count() == n
    Clue.objects.filter(rule_code=code).delete()
    services.set_rule_switch(actor=world.supervisor, org=world.dept_a, rule_code=code, enabled=False)
    services.run_rules(today=TODAY, rule_codes=[code])
    assert case_no not in _flagged(code)
    services.set_rule_switch(actor=world.supervisor, org=world.dept_a, rule_code=code, enabled=True)
    # a supervisor of another department raises nothing here; the unit's own one does
    assert services.run_rules(actor=world.dept_b_legal, today=TODAY, rule_codes=[code]) == {code: 0}
    assert services.run_rules(actor=world.dept_a_legal, today=TODAY, rule_codes=[code])[code] >= 1
    assert case_no in _flagged(code)


def test_rules_have_code_description_citation():
    for code in ("officers.certificate_expired", "discretion.outside_benchmark", "records.missing",
                 "fines.repeated"):
        r = RULES[code]
        assert r.code == code and r.name and r.description and r.citation


def test_expired_certificate(world, setup):
    g1, _ = setup["good"]
    setup["make"](no="EXP-1", officers=(g1, setup["expired"]))            # decided 2026-05-01, expired 03-31
    setup["make"](no="EXP-OK", officers=(g1, setup["expired"]), decided_on=date(2026, 3, 15))
    setup["make"](no="EXP-UNDECIDED", officers=(g1, setup["expired"]), decided_on=None, state="investigating",
                  filed_on=date(2026, 4, 2))  # filing date counts while undecided
    _check_idempotent_and_switch(world, "officers.certificate_expired", "EXP-1")
    flagged = _flagged("officers.certificate_expired")
    assert "EXP-OK" not in flagged and "EXP-UNDECIDED" in flagged


def test_outside_benchmark_without_reason(world, setup):
    setup["make"](no="BM-HIGH", sanction="fine", amount=Decimal("8000"), circumstance="general")
    setup["make"](no="BM-REASON", sanction="fine", amount=Decimal("8000"), circumstance="general",
                  discretion_reason="当事人拒不改正，经集体讨论从重")
    setup["make"](no="BM-BLANK", sanction="fine", amount=Decimal("500"), circumstance="general",
                  discretion_reason="   ")
    setup["make"](no="BM-IN", sanction="fine", amount=Decimal("3000"), circumstance="general")
    setup["make"](no="BM-NOLEVEL", sanction="fine", amount=Decimal("9000"), circumstance="serious")
    _check_idempotent_and_switch(world, "discretion.outside_benchmark", "BM-HIGH")
    assert _flagged("discretion.outside_benchmark") == {"BM-HIGH", "BM-BLANK"}


def test_missing_process_records(world, setup):
    setup["make"](no="REC-NONE", records=False)
    setup["make"](no="REC-OK")
    setup["make"](no="REC-OPEN", records=False, decided_on=None, state="investigating")
    setup["make"](no="REC-SUMMARY", records=False, procedure="summary")
    doc_only = setup["make"](no="REC-DOC", records=False)
    ProcessRecord.objects.create(case=doc_only, org=doc_only.org, step="decided", kind="document",
                                 file=ContentFile(b"%PDF", name="d.pdf"), original_name="d.pdf",
                                 content_type="application/pdf", size=4, sm3="0" * 64)
    _check_idempotent_and_switch(world, "records.missing", "REC-NONE")
    assert _flagged("records.missing") == {"REC-NONE", "REC-DOC"}


def test_repeated_fines_without_follow_up(world, setup):
    make = setup["make"]
    assert param("fines.repeated", "count") == 3 and param("fines.repeated", "window_days") == 365
    assert RULES["fines.repeated"].rationale
    for i, d in enumerate((date(2026, 1, 10), date(2026, 4, 10), date(2026, 8, 10))):
        make(no=f"FINE-A{i}", party_name="张某某", party_id_no="370000199001011234", sanction="fine",
             amount=Decimal("2000"), decided_on=d)
    # two fines only: below the threshold
    for i, d in enumerate((date(2026, 2, 1), date(2026, 6, 1))):
        make(no=f"FINE-B{i}", party_name="李某", sanction="fine", amount=Decimal("2000"), decided_on=d)
    # three fines, but the unit followed up with an inspection
    for i, d in enumerate((date(2026, 2, 1), date(2026, 5, 1), date(2026, 7, 1))):
        make(no=f"FINE-C{i}", party_name="某餐馆", sanction="fine", amount=Decimal("2000"), decided_on=d)
    make(no="INSP-C", party_name="某餐馆", case_type="inspection", sanction="", decided_on=None, state="inspecting",
         filed_on=date(2026, 7, 20))
    # three fines, one outside the window
    for i, d in enumerate((date(2025, 6, 1), date(2026, 2, 1), date(2026, 5, 1))):
        make(no=f"FINE-D{i}", party_name="王某", sanction="fine", amount=Decimal("2000"), decided_on=d)
    # same party fined by another unit does not count towards dept_a's
    make(org=world.dept_b, no="FINE-B-OTHER", party_name="李某", sanction="fine", amount=Decimal("2000"),
         decided_on=date(2026, 9, 1))
    assert set(repeated_fines(TODAY).values_list("case_no", flat=True)) == {"FINE-A0", "FINE-A1", "FINE-A2"}
    _check_idempotent_and_switch(world, "fines.repeated", "FINE-A2")
    assert _flagged("fines.repeated") == {"FINE-A0", "FINE-A1", "FINE-A2"}


def test_repeated_fines_thresholds_are_data(world, setup):
    """The administrator's count and window (RuleParam) replace the defaults: two fines in
    a 60-day window hit with count 2, not with the default 3; a window too short misses."""
    from yifa.supervision.models import RuleParam

    make = setup["make"]
    for i, d in enumerate((date(2026, 9, 20), date(2026, 10, 20))):
        make(no=f"FINE-P{i}", party_name="赵某", sanction="fine", amount=Decimal("2000"), decided_on=d)
    assert not set(repeated_fines(TODAY).values_list("case_no", flat=True))
    RuleParam.objects.create(rule_code="fines.repeated", key="count", value=Decimal("2"))
    assert set(repeated_fines(TODAY).values_list("case_no", flat=True)) == {"FINE-P0", "FINE-P1"}
    RuleParam.objects.create(rule_code="fines.repeated", key="window_days", value=Decimal("30"))
    assert not set(repeated_fines(TODAY).values_list("case_no", flat=True))


def test_new_rules_run_in_sweep(world, setup):
    from yifa.core import sweep

    setup["make"](no="SW-1", records=False)
    result = sweep.run_all(TODAY)["supervision"]
    assert result["clues"] >= 1 and "SW-1" in _flagged("records.missing")
    assert sweep.run_all(TODAY)["supervision"] == {"clues": 0}


def _repeated_reference(today):
    """以罚代管 computed in Python from its definition (count per unit and party key in the
    window; no inspection of that party by that unit filed since the window began)."""
    from datetime import timedelta

    cfg = {"count": param("fines.repeated", "count"), "window_days": param("fines.repeated", "window_days")}
    since = today - timedelta(days=cfg["window_days"])
    cases = list(Case.objects.all())
    key = lambda c: (c.org_id, c.party_id_no or c.party_name)  # noqa: E731
    fines = [c for c in cases if c.case_type == "penalty" and c.sanction == "fine" and c.decided_on
             and since <= c.decided_on <= today]
    counts = {}
    for c in fines:
        counts[key(c)] = counts.get(key(c), 0) + 1
    followed = {key(c) for c in cases if c.case_type == "inspection" and c.filed_on >= since}
    return {c.case_no for c in fines if counts[key(c)] >= cfg["count"] and key(c) not in followed}


def test_repeated_fines_same_hits_as_definition(world, setup):
    """A crafted mix (ID number vs name as the party key, the window's edges, a decision
    after today, other sanctions, other units, an old inspection): the grouped query finds
    exactly the fines the definition names; an existing clue on one of a party's fines does
    not change what the others count."""
    import random

    make = setup["make"]
    rng = random.Random(14)
    parties = [("张三", "3700001"), ("张三", "3700002"), ("张三", ""), ("某公司", ""), ("李四", "3700003")]
    days = [date(2025, 11, 1), date(2025, 11, 2), date(2025, 11, 3), date(2026, 1, 5), date(2026, 6, 1),
            date(2026, 11, 2), date(2026, 11, 3)]
    for i in range(60):
        name, id_no = rng.choice(parties)
        make(org=rng.choice([world.dept_a, world.dept_b]), no=f"MIX-{i}", party_name=name, party_id_no=id_no,
             sanction=rng.choice(["fine", "fine", "fine", "warning"]), amount=Decimal("500"),
             decided_on=rng.choice(days), case_type=rng.choice(["penalty"] * 5 + ["coercion"]))
    make(org=world.dept_b, no="INSP-OLD", party_name="某公司", case_type="inspection", sanction="",
         decided_on=None, state="inspecting", filed_on=date(2025, 10, 1))
    make(org=world.dept_b, no="INSP-NEW", party_name="李四", party_id_no="3700003", case_type="inspection",
         sanction="", decided_on=None, state="inspecting", filed_on=date(2026, 9, 1))
    expected = _repeated_reference(TODAY)
    assert len(expected) >= 6  # the crafted data does hit
    assert set(repeated_fines(TODAY).values_list("case_no", flat=True)) == expected
    one = Case.objects.get(case_no=sorted(expected)[0])
    Clue.objects.create(org=one.org, rule_code="fines.repeated", case=one, raised_on=TODAY)
    services.run_rules(today=TODAY, rule_codes=["fines.repeated"])
    assert _flagged("fines.repeated") == expected


def test_a_fine_after_the_clues_counts_with_the_clued_ones(world, setup):
    """Three fines of one party raise three clues; a fourth, decided later, is flagged too:
    the clued fines still count toward the window (the sweep leaves them out only after the
    count), also for a supervisor's run in their scope."""
    make = setup["make"]
    for i, day in enumerate((date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1))):
        make(no=f"REP-{i}", party_name="王五", party_id_no="3709001", sanction="fine", amount=Decimal("500"),
             decided_on=day)
    assert services.run_rules(today=TODAY, rule_codes=["fines.repeated"]) == {"fines.repeated": 3}
    make(no="REP-3", party_name="王五", party_id_no="3709001", sanction="fine", amount=Decimal("500"),
         decided_on=date(2026, 10, 1))
    assert services.run_rules(actor=world.supervisor, rule_codes=["fines.repeated"],
                              today=TODAY) == {"fines.repeated": 1}
    assert _flagged("fines.repeated") == {"REP-0", "REP-1", "REP-2", "REP-3"}
    assert services.run_rules(today=TODAY, rule_codes=["fines.repeated"]) == {"fines.repeated": 0}


def test_a_windowed_rule_cannot_look_only_at_changed_cases():
    from yifa.supervision.rules import Rule

    with pytest.raises(ValueError, match="windowed"):
        Rule("x.windowed", "名称", "说明", "依据", repeated_fines, changed_only=True, windowed=True)


def test_sweep_pass_reads_only_cases_changed_since_the_last(world, setup, settings):
    """The sweep's pass of a changed-only rule looks at the cases saved since its last pass
    (less the overlap); a full pass comes back every YIFA_SUPERVISION_FULL_PASS_DAYS days.
    A supervisor's run is always full."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import time_machine

    from yifa.supervision.models import RuleRun

    settings.YIFA_SUPERVISION_FULL_PASS_DAYS = 7
    tz = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime(2026, 11, 2, 8, tzinfo=tz), tick=False):
        old = setup["make"](no="INC-OLD", records=False)
    with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=tz), tick=False):
        assert services.run_rules(today=TODAY, rule_codes=["records.missing"], incremental=True) == {
            "records.missing": 1}
        assert RuleRun.objects.get(rule_code="records.missing").full_on == TODAY
    Clue.objects.filter(rule_code="records.missing").delete()  # e.g. the clue was dismissed and removed
    with time_machine.travel(datetime(2026, 11, 3, 10, tzinfo=tz), tick=False):
        # INC-OLD unchanged since the last pass: not read again
        assert services.run_rules(today=TODAY + timedelta(days=1), rule_codes=["records.missing"],
                                  incremental=True) == {"records.missing": 0}
        new = setup["make"](no="INC-NEW", records=False)
        assert services.run_rules(today=TODAY + timedelta(days=1), rule_codes=["records.missing"],
                                  incremental=True) == {"records.missing": 1}
        assert _flagged("records.missing") == {"INC-NEW"}
    with time_machine.travel(datetime(2026, 11, 3, 12, tzinfo=tz), tick=False):
        old.title = "改过的案由"
        old.save()  # saved again: read by the next pass
    with time_machine.travel(datetime(2026, 11, 3, 14, tzinfo=tz), tick=False):
        assert services.run_rules(today=TODAY + timedelta(days=1), rule_codes=["records.missing"],
                                  incremental=True) == {"records.missing": 1}
    Clue.objects.filter(rule_code="records.missing").delete()
    with time_machine.travel(datetime(2026, 11, 4, 10, tzinfo=tz), tick=False):
        assert services.run_rules(today=TODAY + timedelta(days=2), rule_codes=["records.missing"],
                                  incremental=True) == {"records.missing": 0}
        # a supervisor's run (or the API's) reads every case
        assert services.run_rules(actor=world.dept_a_legal, rule_codes=["records.missing"]) == {"records.missing": 2}
    Clue.objects.filter(rule_code="records.missing").delete()
    with time_machine.travel(datetime(2026, 11, 9, 10, tzinfo=tz), tick=False):
        # seven days after the last full pass: a full one again
        assert services.run_rules(today=TODAY + timedelta(days=7), rule_codes=["records.missing"],
                                  incremental=True) == {"records.missing": 2}
        assert RuleRun.objects.get(rule_code="records.missing").full_on == TODAY + timedelta(days=7)
    assert new.pk and old.pk


def test_deadline_rules_read_the_cases_from_their_deadlines(world, setup):
    """deadline.overdue / publicity.late select the cases from the open (or missed) deadlines,
    matching the deadline's text owner to the case key, not the key cast to text."""
    from yifa.deadlines.models import DeadlineRule, TrackedDeadline

    late = setup["make"](no="DL-LATE")
    ok = setup["make"](no="DL-OK")
    rule = DeadlineRule.objects.get(code="penalty.decision")
    for case, due, state in ((late, date(2026, 10, 1), "open"), (ok, date(2026, 12, 1), "open"),
                             (ok, date(2026, 9, 1), "met")):
        TrackedDeadline.objects.create(owner_type="enforcement.case", owner_id=str(case.pk), org=case.org, rule=rule,
                                       title=case.case_no, start=date(2026, 9, 1), n=90, unit="day", due=due,
                                       yellow_from=due, citation="x", state=state)
    TrackedDeadline.objects.create(owner_type="review.item", owner_id=str(ok.pk), org=ok.org, rule=rule, title="x",
                                   start=date(2026, 9, 1), n=1, unit="day", due=date(2026, 9, 2),
                                   yellow_from=date(2026, 9, 2), citation="x", state="open")
    assert set(RULES["deadline.overdue"].cases(TODAY).values_list("case_no", flat=True)) == {"DL-LATE"}
    sql = str(RULES["deadline.overdue"].cases(TODAY).query)
    # the deadline's owner is cast (CAST(… AS …) on SQLite, (…)::bigint on PostgreSQL), not the case key
    assert re.search(r'CAST\(U0\."owner_id" AS|"owner_id"\)?::bigint', sql), sql
    assert not re.search(r'CAST\("enforcement_case"\."id"|"enforcement_case"\."id"\)?::text', sql), sql
    # the sweep's pass leaves out, on the deadlines, the cases that already hold the clue; a
    # case that falls overdue later is still raised, and everyone else still sees every hit
    assert services.run_rules(today=TODAY, rule_codes=["deadline.overdue"]) == {"deadline.overdue": 1}
    assert not RULES["deadline.overdue"].cases(TODAY, unclued=True).exists()
    assert set(services.rule_cases("deadline.overdue", TODAY).values_list("case_no", flat=True)) == {"DL-LATE"}
    TrackedDeadline.objects.filter(owner_id=str(ok.pk), state="open").update(due=date(2026, 11, 1))
    assert set(services.rule_cases("deadline.overdue", TODAY, unclued=True)
               .values_list("case_no", flat=True)) == {"DL-OK"}
    assert services.run_rules(today=TODAY, rule_codes=["deadline.overdue"]) == {"deadline.overdue": 1}
    assert _flagged("deadline.overdue") == {"DL-LATE", "DL-OK"}
