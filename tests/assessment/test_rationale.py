"""An indicator's 计分依据 is edited on the indicator page: the supervision office or an
administrator, in scope, while the period is open; audited with the old text."""
import pytest
from django.core.exceptions import PermissionDenied

from tests.assessment.helpers import new_period
from yifa.assessment import services
from yifa.assessment.models import Indicator, PeriodState
from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _indicator(period):
    return services.tree_of(period)[0].indicators.all()[0]


def test_service_edits_and_audits(world):
    p = new_period(world)
    ind = _indicator(p)
    old = ind.rationale
    got = services.set_rationale(actor=world.admin, indicator=ind, rationale="  按整改率计分：\r\n整改越多得分越高。 ")
    assert got.rationale == "按整改率计分：\n整改越多得分越高。"
    assert Indicator.objects.get(pk=ind.pk).rationale == got.rationale
    ev = AuditEvent.objects.filter(action="assessment.indicator.rationale").latest("id")
    assert ev.before["rationale"] == old and ev.after["rationale"] == got.rationale
    # the same text again writes nothing
    services.set_rationale(actor=world.supervisor, indicator=ind, rationale=got.rationale)
    assert AuditEvent.objects.filter(action="assessment.indicator.rationale").count() == 1


def test_refused_to_others_too_long_and_closed(world):
    p = new_period(world)
    ind = _indicator(p)
    for user in (world.dept_a_legal, world.officer_a):
        with pytest.raises(PermissionDenied):
            services.set_rationale(actor=user, indicator=ind, rationale="改")
    with pytest.raises(DomainError, match="不超过 2000 字"):
        services.set_rationale(actor=world.supervisor, indicator=ind, rationale="长" * 2001)
    type(p).objects.filter(pk=p.pk).update(state=PeriodState.CLOSED)
    with pytest.raises(DomainError, match="已关闭"):
        services.set_rationale(actor=world.supervisor, indicator=ind, rationale="关闭后修改")
    assert not AuditEvent.objects.filter(action="assessment.indicator.rationale").exists()


def test_the_indicator_page_edits_the_rationale(world, client_for):
    p = new_period(world)
    ind = _indicator(p)
    url = f"/assessment/periods/{p.pk}/indicators/"
    c = client_for(world.supervisor)
    body = c.get(url).content.decode()
    assert f'id="rationale-form-{ind.pk}"' in body and f'id="rationale-input-{ind.pk}"' in body
    resp = c.post(url, {"indicator": ind.pk, "rationale": "问题越多扣分越多，整改不抵扣发现。"}, follow=True)
    body = resp.content.decode()
    assert "计分依据已保存" in body and "问题越多扣分越多，整改不抵扣发现。" in body
    assert Indicator.objects.get(pk=ind.pk).rationale == "问题越多扣分越多，整改不抵扣发现。"
    resp = c.post(url, {"indicator": ind.pk, "rationale": "长" * 2001}, follow=True)
    assert "不超过 2000 字" in resp.content.decode()
    # an indicator of another period is not found through this page
    other = _indicator(new_period(world, year=2024))
    assert c.post(url, {"indicator": other.pk, "rationale": "x"}).status_code == 404
    assert c.post(url, {"indicator": "abc", "rationale": "x"}).status_code == 404


def test_a_leader_sees_the_rationale_but_cannot_edit_it(world, client_for):
    p = new_period(world)
    ind = _indicator(p)
    services.set_rationale(actor=world.supervisor, indicator=ind, rationale="依据甲")
    c = client_for(world.leader)
    body = c.get(f"/assessment/periods/{p.pk}/indicators/").content.decode()
    assert "依据甲" in body and "rationale-form" not in body
    resp = c.post(f"/assessment/periods/{p.pk}/indicators/", {"indicator": ind.pk, "rationale": "改"})
    assert resp.status_code == 403
    assert Indicator.objects.get(pk=ind.pk).rationale == "依据甲"
