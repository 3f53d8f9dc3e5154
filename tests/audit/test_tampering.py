"""Every kind of tampering named in issue 13 §3 is caught, naming the row or record."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from tests.conftest import make_org
from yifa.audit.chain import canonical
from yifa.audit.hashing import hmac_sm3_hex, sm3_hex
from yifa.audit.models import AuditEvent
from yifa.audit.services import (
    read_checkpoints,
    record,
    verify_chain,
    verify_records,
    write_checkpoint,
)
from yifa.core.sweep import run_all
from yifa.orgs.models import Organization, OrgKind

pytestmark = pytest.mark.django_db
T = AuditEvent._meta.db_table


def sql(statement, params=()):
    with connection.cursor() as cur:
        cur.execute(statement, params)


def row_dict(event_id):
    names = [f.attname for f in AuditEvent._meta.concrete_fields]
    return AuditEvent.objects.filter(id=event_id).values(*names).get()


def test_hmac_sm3_matches_rfc2104_over_sm3_with_and_without_openssl():
    # HMAC computed by hand from the RFC 2104 definition with the SM3 standard function
    key, msg = b"k" * 10, b"abc"
    block = key.ljust(64, b"\0")
    inner = bytes.fromhex(sm3_hex(bytes(b ^ 0x36 for b in block) + msg))
    expected = sm3_hex(bytes(b ^ 0x5C for b in block) + inner)
    assert hmac_sm3_hex(key, msg) == expected
    assert hmac_sm3_hex(key, msg, pure=True) == expected


def test_every_shown_column_is_signed(world):
    event = AuditEvent.objects.order_by("id")[3]
    for column, value in [("actor_name", "张三"), ("object_repr", "伪造对象"), ("created_at", "2020-01-01 00:00:00"),
                          ("org_id", world.town_b.pk), ("state", json.dumps({"exists": False})),
                          ("action", "org.delete"), ("reason", "改")]:
        saved = row_dict(event.pk)[column]
        if isinstance(saved, dict):
            saved = json.dumps(saved)
        sql(f"UPDATE {T} SET {column} = %s WHERE id = %s", [value, event.pk])
        result = verify_chain()
        assert not result.ok and result.broken_id == event.pk, column
        sql(f"UPDATE {T} SET {column} = %s WHERE id = %s", [saved if column != "created_at" else event.created_at, event.pk])
        assert verify_chain().ok, column


def test_actor_name_and_object_repr_changes_are_caught_by_the_command(world):
    victim = AuditEvent.objects.order_by("id")[5]
    sql(f"UPDATE {T} SET actor_name = %s, object_repr = %s WHERE id = %s", ["无名氏", "别的对象", victim.pk])
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert f"id={victim.pk}" in str(exc.value) and "签名不符" in str(exc.value)


def test_a_forged_row_with_a_recomputed_unkeyed_sm3_hash_is_caught(world):
    head = AuditEvent.objects.order_by("-id").first()
    forged = {**row_dict(head.pk), "action": "org.update", "reason": "伪造", "prev_hash": head.hash}
    forged["hash"] = sm3_hex(canonical(forged))  # what an attacker without the key can compute
    forged.pop("id")
    new = AuditEvent.objects.create(**forged)
    result = verify_chain()
    assert not result.ok and result.broken_id == new.pk and "签名不符" in result.problem


def test_a_row_signed_with_another_key_is_caught(world):
    head = AuditEvent.objects.order_by("-id").first()
    forged = {**row_dict(head.pk), "reason": "伪造", "prev_hash": head.hash}
    forged["hash"] = hmac_sm3_hex(b"guessed-key" * 4, canonical(forged))
    forged.pop("id")
    new = AuditEvent.objects.create(**forged)
    result = verify_chain()
    assert not result.ok and result.broken_id == new.pk


def test_a_middle_row_changed_and_every_later_row_rechained_is_caught(world):
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    middle = ids[len(ids) // 2]
    sql(f"UPDATE {T} SET reason = %s WHERE id = %s", ["事后修改", middle])
    prev = AuditEvent.objects.filter(id__lt=middle).order_by("-id").values_list("hash", flat=True).first()
    for event_id in ids[ids.index(middle):]:  # re-chain the rest, as the old unkeyed rule allowed
        row = {**row_dict(event_id), "prev_hash": prev}
        digest = sm3_hex(canonical(row))
        sql(f"UPDATE {T} SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, event_id])
        prev = digest
    result = verify_chain()
    assert not result.ok and result.broken_id == middle


def test_deleting_the_last_rows_is_caught_against_the_checkpoint(world):
    cp = write_checkpoint()
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    assert cp["rows"] == len(ids) and cp["last_id"] == ids[-1]
    assert verify_chain().ok
    tail = ids[-10:]
    sql(f"DELETE FROM {T} WHERE id >= %s", [tail[0]])
    result = verify_chain()
    assert result.broken_id is None  # the remaining chain itself is intact...
    assert not result.ok  # ...but shorter than the checkpoint says
    assert f"第 {ids[-1]} 号记录不存在" in result.checkpoint
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert "检查点" in str(exc.value) and str(ids[-1]) in str(exc.value)


def test_deleting_every_row_is_caught_against_the_checkpoint(world):
    cp = write_checkpoint()
    sql(f"DELETE FROM {T}")
    result = verify_chain()
    assert not result.ok and result.checked == 0
    assert "全部删除" in result.checkpoint and str(cp["last_id"]) in result.checkpoint


def test_rows_appended_after_a_checkpoint_keep_the_chain_intact(world):
    write_checkpoint()
    make_org("T-NEW", "新单位", OrgKind.TOWNSHIP, world.county)
    result = verify_chain()
    assert result.ok and "一致" in result.checkpoint


def test_a_rewritten_row_before_the_checkpoint_is_caught_even_if_counts_match(world):
    cp = write_checkpoint()
    sql(f"UPDATE {T} SET hash = %s WHERE id = %s", ["f" * 64, cp["last_id"]])
    result = verify_chain()
    assert not result.ok and result.broken_id == cp["last_id"]


def test_a_forged_checkpoint_line_is_refused(world, settings):
    write_checkpoint()
    path = settings.YIFA_AUDIT_CHECKPOINT_FILE
    cp = json.loads(path.read_text().splitlines()[-1])
    cp["rows"] = 1
    path.write_text(path.read_text() + json.dumps(cp) + "\n")
    result = verify_chain()
    assert not result.ok and "签名不符" in result.checkpoint


def test_the_sweep_writes_a_checkpoint_only_when_the_head_moved(world, settings):
    assert run_all()["audit.checkpoint"] == {"checkpoints": 1}
    assert run_all()["audit.checkpoint"] == {"checkpoints": 0}
    make_org("T-NEW", "新单位", OrgKind.TOWNSHIP, world.county)
    assert run_all()["audit.checkpoint"] == {"checkpoints": 1}
    cps = read_checkpoints()
    assert len(cps) == 2 and cps[-1]["last_id"] == AuditEvent.objects.order_by("-id").first().pk


def test_checkpoint_command_and_log(world, caplog, capsys):
    with caplog.at_level("INFO", logger="yifa.audit"):
        call_command("audit", "checkpoint")
    assert "已写入检查点" in capsys.readouterr().out
    assert any("audit checkpoint" in r.getMessage() for r in caplog.records)


def test_rows_signed_with_another_installation_key_are_named(world, settings):
    first = AuditEvent.objects.order_by("id").first()
    settings.YIFA_AUDIT_KEY = "another-installation-key-0123456789abcdef"
    result = verify_chain()
    assert not result.ok and result.broken_id == first.pk and "其他密钥" in result.problem


# --- business rows ---------------------------------------------------------------------

def test_records_verify_clean_after_service_writes(world):
    result = verify_records()
    assert result.ok, [p.describe() for p in result.problems]
    assert result.checked >= 13  # the world's organisations, created through the service


def test_update_of_a_business_row_without_an_audit_row_is_listed(world, capsys):
    sql(f"UPDATE {Organization._meta.db_table} SET name = %s WHERE id = %s", ["改名镇", world.town_a.pk])
    result = verify_records()
    [problem] = result.problems
    assert problem.kind == "changed" and problem.object_id == str(world.town_a.pk)
    assert any("name" in f for f in problem.fields)
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--records")
    err = capsys.readouterr().err
    assert f"orgs.organization id={world.town_a.pk}" in err and "名称" in err


def test_delete_of_a_business_row_without_an_audit_row_is_listed(world):
    from yifa.supervision.models import RuleSwitch

    with transaction.atomic():
        switch = RuleSwitch.objects.create(org=world.town_a, rule_code="yifa.test_rule", enabled=False)
        record(world.admin, "supervision.rule.switch", switch, after={"enabled": False})
    assert verify_records().ok
    sql(f"DELETE FROM {RuleSwitch._meta.db_table} WHERE id = %s", [switch.pk])
    [problem] = verify_records().problems
    assert problem.kind == "deleted" and problem.object_id == str(switch.pk)
    assert "已被删除" in problem.describe()


def test_records_without_any_audit_row_are_counted_apart(world):
    from yifa.supervision.models import RuleSwitch

    before = verify_records()
    RuleSwitch.objects.create(org=world.town_a, rule_code="yifa.test_rule", enabled=False)  # as a demo loader would
    after = verify_records()
    assert after.ok
    label = str(RuleSwitch._meta.verbose_name)
    assert after.unaudited[label] == before.unaudited.get(label, 0) + 1


def test_a_deleted_record_with_its_audit_row_is_consistent(world):
    from yifa.supervision.models import RuleSwitch

    with transaction.atomic():
        switch = RuleSwitch.objects.create(org=world.town_a, rule_code="yifa.test_rule", enabled=False)
        record(world.admin, "supervision.rule.switch", switch)
    with transaction.atomic():
        record(world.admin, "supervision.rule.delete", switch)  # recorded before the delete
        RuleSwitch.objects.filter(pk=switch.pk).delete()
    # inside the test's own transaction no commit happens: take the pre-commit step by hand
    from yifa.audit.services import flush_pending_states

    assert flush_pending_states(connection) == 1
    assert AuditEvent.objects.order_by("-id").first().state == {"exists": False}
    assert verify_chain().ok and verify_records().ok


def test_baseline_takes_unaudited_records_under_watch(world, capsys):
    from yifa.supervision.models import RuleSwitch

    switch = RuleSwitch.objects.create(org=world.town_a, rule_code="yifa.test_rule", enabled=False)  # bulk loader
    sql(f"UPDATE {RuleSwitch._meta.db_table} SET enabled = %s WHERE id = %s", [True, switch.pk])
    assert verify_records().ok  # not under watch: counted apart, not caught
    call_command("audit", "baseline")
    assert "审计基准" in capsys.readouterr().out
    event = AuditEvent.objects.get(object_type="supervision.ruleswitch", object_id=str(switch.pk))
    assert event.action == "audit.baseline" and event.state["fields"]["enabled"] is True
    result = verify_records()
    assert result.ok and not result.unaudited  # every tracked record now has a state-bearing row
    assert verify_chain().ok
    call_command("audit", "baseline")  # idempotent: nothing new the second time
    assert "0 条" in capsys.readouterr().out
    sql(f"UPDATE {RuleSwitch._meta.db_table} SET enabled = %s WHERE id = %s", [False, switch.pk])
    [problem] = verify_records().problems
    assert problem.object_id == str(switch.pk) and problem.event_id == event.pk
