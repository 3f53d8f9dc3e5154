"""A decision dated on a rest day carries its reason (休息日作出决定的理由), entered on the
case's edit page or through the API, shown on the case page, audited; with it the online
rule `decision.rest_day` no longer raises the case."""

from datetime import date

import pytest

from yifa.audit.models import AuditEvent
from yifa.deadlines.models import HolidayDay
from yifa.enforcement import services
from yifa.enforcement.models import Case
from yifa.supervision.rules import RULES

pytestmark = pytest.mark.django_db
SATURDAY = date(2026, 8, 8)


@pytest.fixture
def decided(world, lib):
    HolidayDay.objects.filter(date=SATURDAY).delete()
    case = services.file_case(actor=world.officer_a, org=world.dept_a, item=lib.item, filed_on=date(2026, 8, 3),
                              title="休息日决定", party_name="李四", officers=[lib.o1, lib.o2])
    Case.objects.filter(pk=case.pk).update(state="decided", decided_on=SATURDAY)
    return Case.objects.get(pk=case.pk)


def _flagged(case):
    return RULES["decision.rest_day"].cases(date(2026, 11, 2)).filter(pk=case.pk).exists()


def test_reason_through_the_api(world, decided, client_for):
    assert _flagged(decided)
    c = client_for(world.officer_a)
    resp = c.patch(f"/api/v1/enforcement/cases/{decided.pk}/",
                   {"rest_day_reason": "台风过境，须当日责令停止施工", "version": decided.version},
                   content_type="application/json")
    assert resp.status_code == 200 and resp.json()["rest_day_reason"] == "台风过境，须当日责令停止施工"
    assert not _flagged(decided)
    event = AuditEvent.objects.filter(action="case.update").latest("pk")
    assert "台风过境" in str(event.after)


def test_reason_on_the_edit_page_and_shown(world, decided, client_for):
    c = client_for(world.officer_a)
    form = c.get(f"/enforcement/cases/{decided.pk}/edit/").content.decode()
    assert "休息日作出决定的理由" in form
    resp = c.post(f"/enforcement/cases/{decided.pk}/edit/",
                  {"title": decided.title, "party_name": decided.party_name, "party_kind": "individual",
                   "officers": [o.pk for o in decided.officers.all()], "version": decided.version,
                   "rest_day_reason": "节日期间群众举报，现场查获，当日作出决定"})
    assert resp.status_code == 302
    assert not _flagged(decided)
    html = c.get(f"/enforcement/cases/{decided.pk}/").content.decode()
    assert "休息日决定理由" in html and "节日期间群众举报" in html
