"""Migration audit.0003: verifies the old unkeyed chain, refuses a broken one, re-signs."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from yifa.audit.models import AuditEvent
from yifa.audit.services import verify_chain

pytestmark = pytest.mark.django_db
mig = importlib.import_module("yifa.audit.migrations.0003_keyed_chain")


def legacy_chain(n=5):
    prev = mig.GENESIS_HASH
    for i in range(n):
        row = {"created_at": timezone.now(), "actor_id": None, "action": f"legacy.{i}", "object_type": "x.y",
               "object_id": str(i), "org_id": None, "before": None, "after": {"i": i}, "reason": "", "prev_hash": prev}
        row["hash"] = mig._legacy_hash(row)
        AuditEvent.objects.create(**row, actor_name="旧", object_repr=f"对象{i}")
        prev = row["hash"]


def run_rekey():
    mig.rekey(apps, SimpleNamespace(connection=connection))


def test_an_intact_legacy_chain_is_re_signed_with_the_key():
    legacy_chain()
    assert not verify_chain().ok  # unkeyed rows are not accepted as they are
    run_rekey()
    result = verify_chain()
    assert result.ok and result.checked == 5
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {AuditEvent.objects.first().key_id} != {""}


def test_a_broken_legacy_chain_is_not_laundered():
    legacy_chain()
    victim = AuditEvent.objects.order_by("id")[2]
    AuditEvent.objects.filter(pk=victim.pk).update(reason="篡改")
    with pytest.raises(RuntimeError) as exc:
        run_rekey()
    assert f"id={victim.pk}" in str(exc.value)
