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
