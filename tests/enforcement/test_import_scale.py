"""Case imports at COPY speed: checked whole outside any write transaction, staged in short
transactions, switched in by one short transaction — all or nothing, numbered from the
unit-year series in one step, audited (one chained row per case), with their deadlines and
the board's rollup, in a number of statements that does not grow with the rows."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yifa.audit.models import AuditEvent
from yifa.audit.services import verify_chain, verify_records
from yifa.deadlines import engine
from yifa.deadlines.models import TrackedDeadline
from yifa.documents.models import DocumentSequence
from yifa.enforcement import imports, services
from yifa.enforcement.models import Case, ImportBatch, OpenLoadRollup, StagedCase

pytestmark = pytest.mark.django_db

FILED = date(2026, 8, 3)


def _rows(n, prefix="BULK", *, officers="T-0001,T-0002", **over):
    return [{"source_case_no": f"{prefix}-{i}", "org_code": "T-DA", "item_code": "SCJG-001", "case_type": "行政处罚",
             "filed_on": FILED.isoformat(), "title": f"批量案由{i}", "party_name": f"当事人{i}", "amount": "100",
             "officers": officers, **over} for i in range(n)]


def _import(world, rows, source="bulk"):
    return imports.import_rows(actor=world.officer_a, kind="cases", rows=rows, source_system=source)


def _rollup():
    return sorted(OpenLoadRollup.objects.values_list("dim", "org_id", "key", "total", "red", "yellow"))


def test_one_bad_row_imports_nothing(world, lib):
    rows = _rows(40)
    rows[17]["item_code"] = "NOPE"
    audit_before, deadlines_before = AuditEvent.objects.count(), TrackedDeadline.objects.count()
    batch = _import(world, rows)
    assert batch.state == "failed" and batch.created == 0
    assert [e["row"] for e in batch.errors] == [19] and "事项编码" in batch.errors[0]["field"]
    assert not Case.objects.filter(source_system="bulk").exists()
    assert not StagedCase.objects.exists()
    assert AuditEvent.objects.count() == audit_before and TrackedDeadline.objects.count() == deadlines_before


def test_file_case_checks_apply_to_every_row(world, lib):
    """What file_case refuses, the bulk check refuses too, with the row number."""
    rows = _rows(4)
    rows[1]["procedure"] = "简易程序"
    rows[1]["case_type"] = "行政许可"
    rows[2]["title"] = "长" * 201
    rows[3]["officers"] = "T-0001"
    batch = _import(world, rows)
    assert batch.state == "failed"
    found = {(e["row"], e["field"]) for e in batch.errors}
    assert (3, "程序") in found and (4, "案由") in found
    assert not Case.objects.filter(source_system="bulk").exists()


def test_a_failure_in_the_switch_leaves_nothing(world, lib, monkeypatch):
    """Everything staged, then the switch breaks half-way: no case, deadline, audit row,
    rollup change or number is left, and the staged rows are gone."""
    services.load_as_of()
    rollup, audit_before = _rollup(), AuditEvent.objects.count()
    calls = []

    def broken(*args, **kw):
        calls.append(1)
        raise imports.DomainError("模拟的写入失败")

    monkeypatch.setattr("yifa.audit.services.record_many", broken)
    batch = _import(world, _rows(30))
    assert calls and batch.state == "failed" and "模拟的写入失败" in batch.errors[0]["message"]
    assert not Case.objects.filter(source_system="bulk").exists()
    assert not TrackedDeadline.objects.filter(title__contains="批量案由").exists()
    assert AuditEvent.objects.count() == audit_before and _rollup() == rollup
    assert not StagedCase.objects.exists()
    assert not DocumentSequence.objects.filter(doc_type=services.CASE_NO_SERIES, last_number__gt=0).exists()


def test_staged_rows_are_invisible_until_the_switch(world, lib, client_for, monkeypatch):
    real_switch = imports.switch_in
    seen = {}

    def observing(batch, planned, deltas, **kw):
        seen["staged"] = StagedCase.objects.filter(batch=batch).count()
        seen["cases"] = Case.objects.filter(source_system="bulk").count()
        seen["listed"] = client_for(world.officer_a).get("/enforcement/").content.decode().count("批量案由")
        return real_switch(batch, planned, deltas, **kw)

    monkeypatch.setattr(imports, "switch_in", observing)
    batch = _import(world, _rows(12))
    assert seen == {"staged": 12, "cases": 0, "listed": 0}
    assert batch.state == "done" and batch.created == 12
    assert Case.objects.filter(source_system="bulk").count() == 12 and not StagedCase.objects.exists()
    assert "批量案由" in client_for(world.officer_a).get("/enforcement/").content.decode()


def test_numbers_unique_consecutive_and_shared_with_file_case(world, lib):
    first = services.file_case(actor=world.officer_a, org=world.dept_a, item=lib.item, filed_on=FILED,
                               title="手工立案", party_name="甲")
    prefix = services.case_no_prefix(world.dept_a, 2026)
    assert first.case_no == f"{prefix}00001号"
    batch = _import(world, _rows(25))
    assert batch.state == "done"
    nos = list(Case.objects.filter(source_system="bulk").order_by("id").values_list("case_no", flat=True))
    assert nos == [f"{prefix}{n:05d}号" for n in range(2, 27)]
    # file order is number order
    by_source = dict(Case.objects.filter(source_system="bulk").values_list("source_case_no", "case_no"))
    assert by_source["BULK-0"] == f"{prefix}00002号" and by_source["BULK-24"] == f"{prefix}00026号"
    after = services.file_case(actor=world.officer_a, org=world.dept_a, item=lib.item, filed_on=FILED,
                               title="再立案", party_name="乙")
    assert after.case_no == f"{prefix}00027号"
    assert _import(world, _rows(3, "MORE")).state == "done"
    assert set(Case.objects.filter(source_case_no__startswith="MORE").values_list("case_no", flat=True)) == {
        f"{prefix}{n:05d}号" for n in (28, 29, 30)}
    assert Case.objects.filter(org=world.dept_a).values("case_no").distinct().count() == 30


def test_each_case_has_its_audit_row_deadline_and_board_columns(world, lib):
    services.load_as_of()
    batch = _import(world, _rows(20))
    assert batch.state == "done"
    cases = list(Case.objects.filter(source_system="bulk"))
    events = AuditEvent.objects.filter(object_type="enforcement.case", action="case.file",
                                       object_id__in=[str(c.pk) for c in cases])
    assert events.count() == 20
    ev = events.get(object_id=str(cases[0].pk))
    assert ev.actor_id == world.officer_a.pk and ev.state["fields"]["case_no"] == cases[0].case_no
    assert sorted(ev.after["officers"]) == sorted([lib.o1.pk, lib.o2.pk]) and f"#{batch.pk}" in ev.reason
    assert verify_chain().ok
    assert verify_records().ok
    expected = engine.compute("penalty.decision", FILED, org=world.dept_a)
    for c in cases:
        d = TrackedDeadline.objects.get(owner_type="enforcement.case", owner_id=str(c.pk))
        assert d.rule.code == "penalty.decision" and d.due == expected.due and d.state == "open"
        assert d.title == f"{c.case_no} {c.title}" and d.handler_id == world.officer_a.pk
        assert (c.due, c.yellow_from, c.due_rule, c.is_open) == (d.due, d.yellow_from, "penalty.decision", True)
        assert c.handler_id == world.officer_a.pk and c.officers.count() == 2


def test_rollup_equals_a_rebuild_after_the_import(world, lib):
    services.file_case(actor=world.officer_a, org=world.dept_a, item=lib.item, filed_on=FILED, title="手工",
                       party_name="甲", officers=[lib.o1])
    _import(world, _rows(15))
    _import(world, _rows(5, "ONE", officers="T-0002"))
    incremental = _rollup()
    services.rebuild_open_load(services.load_as_of())
    assert incremental == _rollup() and incremental


def test_reimport_updates_through_the_service_in_the_switch(world, lib):
    assert _import(world, _rows(3)).created == 3
    rows = _rows(4)
    rows[0]["title"] = "更正后的案由"
    batch = _import(world, rows)
    assert (batch.state, batch.created, batch.updated) == ("done", 1, 3)
    assert Case.objects.get(source_case_no="BULK-0").title == "更正后的案由"
    assert Case.objects.filter(source_system="bulk").count() == 4


def test_statements_do_not_grow_with_the_rows(world, lib, django_assert_max_num_queries, monkeypatch):
    """50 and 500 rows: the same number of statements (progress reports, one UPDATE per
    PROGRESS_EVERY rows by design, are set aside here)."""
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 10 ** 6)
    _import(world, _rows(1, "WARM"))  # the unit-year's series and the board's day exist
    with CaptureQueriesContext(connection) as small:
        assert _import(world, _rows(50, "S")).created == 50
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert _import(world, _rows(500, "L")).created == 500
    assert ImportBatch.objects.filter(state="done").count() == 3


def test_flat_normalise_is_normalise():
    from datetime import datetime, timezone as tz
    from decimal import Decimal

    from yifa.audit.services import normalise, normalise_flat

    row = {"a": 1, "b": "x", "c": None, "d": True, "e": date(2026, 1, 2), "f": Decimal("12.50"),
           "g": datetime(2026, 1, 2, 3, 4, 5, tzinfo=tz.utc), "h": [1, date(2026, 1, 1)], "i": 1.5}
    assert normalise_flat(row) == normalise(row)


def test_lengths_and_amount_digits_are_checked(world, lib):
    rows = _rows(3)
    rows[0]["party_phone"] = "1" * 21
    rows[1]["amount"] = "1234567890123.45"
    batch = _import(world, rows)
    assert batch.state == "failed"
    assert {(e["row"], e["field"]) for e in batch.errors} == {(2, "联系电话"), (3, "罚款金额")}
    assert "最多 20 个字符" in batch.errors[0]["message"]


def test_staged_rows_of_a_killed_import_are_removed_by_the_sweep_step(world, lib):
    """A worker killed between staging and the switch: its staged rows go with its batch."""
    import subprocess
    import sys

    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    host = imports.this_worker().rpartition(":")[0]
    batch = ImportBatch.objects.create(org=world.dept_a, kind="cases", state="importing", created_by=world.officer_a,
                                       worker=f"{host}:{p.pid}", total=3)
    planned, _deltas = imports.plan_cases(
        imports.check_cases(imports.validate_rows("cases", _rows(3), actor=world.officer_a)[0],
                            source_system="bulk")[0], actor=world.officer_a)
    imports.stage_cases(batch, planned)
    assert StagedCase.objects.filter(batch=batch).count() == 3
    assert imports.fail_interrupted() == 1
    assert not StagedCase.objects.exists() and not Case.objects.filter(source_system="bulk").exists()
