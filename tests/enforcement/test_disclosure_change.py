"""事前公开 kept current: a change of a unit's enforcement items, bases or procedures starts
`enforcement.disclosure_change` (20 WD, 政府信息公开条例 art. 26), closed when a publication
covering it is recorded."""
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tests.clock import frozen
from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.enforcement import services
from yifa.enforcement.models import DisclosureChange

pytestmark = pytest.mark.django_db


def _change(w, on=date(2026, 9, 24), **kw):
    args = dict(actor=w.dept_a_legal, org=w.dept_a, changed_on=on, items=True, bases=True, procedures=False,
                description="《食品安全法》修正，调整执法事项及依据")
    args.update(kw)
    with frozen(on):
        return services.record_disclosure_change(**args)


def _publish(w, on, org=None, **flags):
    f = dict(items=True, bases=True, procedures=True)
    f.update(flags)
    with frozen(on):
        return services.record_prior_disclosure(actor=w.dept_a_legal, org=org or w.dept_a, published_on=on, **f)


def test_the_period_crosses_mid_autumn_and_national_day_2026(world):
    change = _change(world)
    d = deadlines_for_owner(change).get()
    # from Thu 09-24: 中秋 09-25…27 and 国庆 10-01…07 are skipped, the make-up Saturday 10-10
    # counts: 09-28/29/30, 10-08/09/10, 10-12…16, 19…23, 26…29 → the 20th working day is 10-29
    assert d.rule.code == "enforcement.disclosure_change" and d.due == date(2026, 10, 29)
    assert "政府信息公开条例》第二十六条" in d.rule.basis and not d.rule.is_local_default
    assert (change.due, change.due_provisional) == (date(2026, 10, 29), False)
    assert AuditEvent.objects.filter(action="disclosure_change.record", object_id=str(change.pk)).exists()


def test_a_publication_covering_the_change_closes_it_on_time(world):
    change = _change(world)
    _publish(world, date(2026, 10, 29))
    change.refresh_from_db()
    d = deadlines_for_owner(change).get()
    assert change.published_on == date(2026, 10, 29) and d.state == "met"
    assert AuditEvent.objects.filter(action="disclosure_change.published", object_id=str(change.pk)).exists()


def test_a_late_publication_closes_it_as_missed(world):
    change = _change(world)
    _publish(world, date(2026, 10, 30))
    assert deadlines_for_owner(change).get().state == "missed"


def test_a_publication_that_does_not_cover_the_change_leaves_it_open(world):
    change = _change(world, items=False, bases=False, procedures=True)
    _publish(world, date(2026, 10, 12), procedures=False)
    change.refresh_from_db()
    assert change.published_on is None and deadlines_for_owner(change).get().state == "open"
    # a publication before the change does not count either
    earlier = _change(world, on=date(2026, 10, 20), description="另一项变更")
    other_unit = _change(world, actor=world.dept_b_legal, org=world.dept_b, description="乙单位的变更")
    _publish(world, date(2026, 10, 22))
    change.refresh_from_db(), earlier.refresh_from_db(), other_unit.refresh_from_db()
    assert change.published_on == earlier.published_on == date(2026, 10, 22)
    assert other_unit.published_on is None


def test_refusals(world):
    with pytest.raises(PermissionDenied):
        _change(world, actor=world.officer_a)
    with pytest.raises(PermissionDenied):
        _change(world, actor=world.dept_b_legal)
    with pytest.raises(DomainError, match="至少勾选一项"):
        _change(world, items=False, bases=False)
    with pytest.raises(DomainError, match="不能晚于今天"):
        with frozen(date(2026, 9, 24)):
            services.record_disclosure_change(actor=world.dept_a_legal, org=world.dept_a,
                                              changed_on=date(2026, 9, 25), items=True, bases=False,
                                              procedures=False, description="明天的变更")
    assert not DisclosureChange.objects.exists()


def test_pages_record_and_list_changes_in_scope(world, client_for):
    c = client_for(world.dept_a_legal)
    with frozen(date(2026, 9, 24)):
        assert "disclosure-changes-link" in c.get("/enforcement/disclosures/").content.decode()
        resp = c.post("/enforcement/disclosures/changes/new/", {
            "org": world.dept_a.pk, "changed_on": "2026-09-24", "items": "on", "description": "调整权责清单"})
        assert resp.status_code == 302, resp.content.decode()[:2000]
        page = c.get("/enforcement/disclosures/changes/").content.decode()
        assert "调整权责清单" in page and "2026-10-29" in page and "执法事项" in page
        assert "调整权责清单" not in client_for(world.dept_b_legal).get("/enforcement/disclosures/changes/").content.decode()
        assert client_for(world.officer_a).get("/enforcement/disclosures/changes/new/").status_code == 403
