"""The state an audit row holds is the record's state as committed (pre-commit hook),
even when the service saves the record again after calling record()."""

import pytest
from django.db import transaction

from tests.conftest import make_org
from yifa.audit.models import AuditEvent
from yifa.audit.services import record, verify_chain, verify_records
from yifa.orgs.models import Organization, OrgKind

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def county(db):
    province = make_org("C-P", "测试省", OrgKind.PROVINCE)
    return make_org("C-GOV", "测试县", OrgKind.COUNTY, province)


def test_a_save_after_record_in_the_same_transaction_is_in_the_committed_state(county):
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=county.pk)
        record(None, "org.update", org, before={"name": org.name}, after={"name": "新县名"})
        org.name = "新县名"  # saved after record(), as some services do
        org.save()
        make_org("C-T", "后来的镇", OrgKind.TOWNSHIP, org)  # a later row the re-signing must re-chain
    event = AuditEvent.objects.filter(object_type="orgs.organization", object_id=str(county.pk)).order_by("-id").first()
    assert event.state["fields"]["name"] == "新县名"
    assert verify_chain().ok
    assert verify_records().ok


def test_without_the_hook_the_same_save_would_be_reported(county):
    """The control: the row written by record() held the pre-save state."""
    with transaction.atomic():
        org = Organization.objects.get(pk=county.pk)
        event = record(None, "org.update", org)
        assert event.state["fields"]["name"] == "测试县"
        org.name = "新县名"
        org.save()
        assert AuditEvent.objects.get(pk=event.pk).state["fields"]["name"] == "测试县"  # not yet committed
    assert AuditEvent.objects.get(pk=event.pk).state["fields"]["name"] == "新县名"


def test_a_rolled_back_transaction_leaves_nothing_pending(county):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(None, "org.update", Organization.objects.get(pk=county.pk))
        raise RuntimeError("boom")
    with transaction.atomic():
        make_org("C-T2", "另一个镇", OrgKind.TOWNSHIP, county)
    assert verify_chain().ok and verify_records().ok


def test_a_rolled_back_savepoint_is_skipped(county):
    with transaction.atomic():
        org = Organization.objects.get(pk=county.pk)
        record(None, "org.update", org)
        try:
            with transaction.atomic():
                record(None, "org.update", org)
                raise ValueError
        except ValueError:
            pass
        Organization.objects.filter(pk=org.pk).update(name="改后的县")
    assert verify_chain().ok and verify_records().ok
