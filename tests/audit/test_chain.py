import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from yifa.audit.hashing import _pure_sm3, sm3_hex
from yifa.audit.models import AppendOnlyError, AuditEvent
from yifa.audit.services import record, verify_chain

pytestmark = pytest.mark.django_db


def test_sm3_matches_the_standard_vector_with_and_without_openssl():
    expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"  # GB/T 32905 "abc"
    assert sm3_hex(b"abc") == expected
    assert _pure_sm3(b"abc") == expected


def test_services_write_chained_events(world):
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) > 10
    for prev, cur in zip(events, events[1:]):
        assert cur.prev_hash == prev.hash
    assert verify_chain().ok


def test_record_outside_a_transaction_is_refused(world):
    with pytest.raises(RuntimeError):
        # pytest-django wraps tests in a transaction; leave it explicitly
        with transaction.atomic():
            pass
        connection.in_atomic_block, saved = False, connection.in_atomic_block
        try:
            record(None, "x", world.county)
        finally:
            connection.in_atomic_block = saved


def test_rows_are_append_only(world):
    event = AuditEvent.objects.first()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_verify_command_passes_on_intact_chain(world, capsys):
    call_command("audit", "verify")
    assert "审计链完整" in capsys.readouterr().out


def test_verify_names_the_first_tampered_row(world):
    victim = AuditEvent.objects.order_by("id")[5]
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {AuditEvent._meta.db_table} SET reason = %s WHERE id = %s", ["篡改", victim.pk])
    result = verify_chain()
    assert not result.ok and result.broken_id == victim.pk
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert f"id={victim.pk}" in str(exc.value)


def test_verify_detects_a_deleted_row(world):
    rows = list(AuditEvent.objects.order_by("id").values_list("id", flat=True)[:5])
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [rows[2]])
    result = verify_chain()
    assert not result.ok and result.broken_id == rows[3]


# --- the bulk path signs pre-serialised JSON: the same bytes as serialising the whole row ---

from datetime import datetime, timezone as _tz  # noqa: E402

from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

from yifa.audit.chain import canonical, dump_json  # noqa: E402

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


@hsettings(max_examples=200, deadline=None)
@given(before=st.none() | _json, after=st.none() | _json, state=st.none() | _json, reason=st.text(),
       repr_=st.text(max_size=20))
def test_canonical_with_pre_serialised_json_is_byte_identical(before, after, state, reason, repr_):
    row = {"created_at": datetime(2026, 12, 31, 8, 0, tzinfo=_tz.utc), "actor_id": 3, "actor_name": "李监督",
           "action": "case.file", "object_type": "enforcement.case", "object_id": 42, "object_repr": repr_,
           "org_id": 7, "before": before, "after": after, "reason": reason, "state": state, "key_id": "k1",
           "prev_hash": "0" * 64}
    dumped = {k: dump_json(row[k]) for k in ("before", "after", "state") if row[k] is not None}
    bare = {**row, **{k: None for k in dumped}}
    assert canonical(bare, dumped) == canonical(row)


def test_bulk_records_verify_and_store_the_signed_json(world):
    from yifa.audit.services import record_many
    from yifa.orgs.models import Organization

    orgs = list(Organization.objects.order_by("pk")[:3])
    with transaction.atomic():
        record_many(None, "org.note", Organization, [
            {"object_id": o.pk, "object_repr": o.name, "org_id": o.pk,
             "after": {"名称": o.name, "日期": "2026-12-31", "n": [1, 2, {"b": None, "a": "\u2028\x07"}]},
             "reason": "批量"} for o in orgs], plain=True)
    events = list(AuditEvent.objects.filter(action="org.note").order_by("id"))
    assert [e.after["n"][2] for e in events] == [{"a": "\u2028\x07", "b": None}] * 3
    assert events[0].state["exists"] is True
    assert verify_chain().ok
