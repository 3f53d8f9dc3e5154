from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError, IllegalTransition, StaleVersion
from yifa.core.models import Notification
from yifa.supervision.meetings import selectors, services
from yifa.supervision.meetings.models import ActionState, AdoptedRule

pytestmark = pytest.mark.django_db


def meeting(world, **kw):
    data = dict(org=world.supervision_office, title="2026年第一季度行政执法监督联席会议", held_on=date(2026, 3, 18),
                topics="通报监督检查问题\n部署案卷评查", participants=[world.dept_a, world.town_a])
    data.update(kw)
    return services.record_meeting(actor=world.supervisor, **data)


def test_meeting_quarter_from_date_and_scope(world):
    m = meeting(world)
    assert (m.year, m.quarter) == (2026, 1) and set(m.participants.all()) == {world.dept_a, world.town_a}
    assert meeting(world, held_on=date(2025, 11, 2)).quarter == 4
    with pytest.raises(PermissionDenied):
        services.record_meeting(actor=world.officer_a, org=world.dept_a, title="x", held_on=date(2026, 3, 1),
                                topics="x")
    with pytest.raises(DomainError) as exc:
        services.record_meeting(actor=world.town_a_legal, org=world.town_a, title="镇联席会议",
                                held_on=date(2026, 3, 1), topics="议题", participants=[world.town_b])
    assert "participants" in exc.value.fields
    with pytest.raises(DomainError) as exc:
        meeting(world, topics=" ")
    assert "topics" in exc.value.fields


def test_action_item_notifies_owner_unit_and_is_completed_with_note(world, django_capture_on_commit_callbacks):
    m = meeting(world)
    with django_capture_on_commit_callbacks(execute=True):
        item = services.add_action_item(actor=world.supervisor, meeting=m, org=world.dept_a,
                                        title="修订重大执法决定法制审核目录", due=date(2026, 5, 31),
                                        owner=world.dept_a_legal)
    assert Notification.objects.filter(recipient=world.dept_a_legal, dedupe_key=f"meetings:action:{item.pk}").exists()
    assert item.is_overdue(date(2026, 6, 1)) and not item.is_overdue(date(2026, 5, 31))
    with pytest.raises(DomainError) as exc:
        services.complete_action_item(actor=world.dept_a_legal, item=item, note="")
    assert "note" in exc.value.fields
    with pytest.raises(PermissionDenied):
        services.complete_action_item(actor=world.town_a_legal, item=item, note="已完成")
    with pytest.raises(StaleVersion):
        services.complete_action_item(actor=world.dept_a_legal, item=item, note="已完成", expected_version=9)
    item = services.complete_action_item(actor=world.dept_a_legal, item=item, note="目录已修订并印发。",
                                         on=date(2026, 5, 20))
    assert item.state == ActionState.DONE and item.done_on == date(2026, 5, 20) and not item.is_overdue()
    with pytest.raises(IllegalTransition):
        services.complete_action_item(actor=world.dept_a_legal, item=item, note="again")
    assert AuditEvent.objects.filter(action="meetings.action.done", object_id=str(item.pk)).exists()


def test_action_item_validation(world):
    m = meeting(world)
    with pytest.raises(DomainError) as exc:
        services.add_action_item(actor=world.supervisor, meeting=m, org=world.dept_a, title="x", due=date(2026, 1, 1))
    assert "due" in exc.value.fields
    with pytest.raises(DomainError) as exc:
        services.add_action_item(actor=world.supervisor, meeting=m, org=world.dept_a, title="x", due=date(2026, 5, 1),
                                 owner=world.town_b_legal)
    assert "owner" in exc.value.fields
    with pytest.raises(PermissionDenied):
        services.add_action_item(actor=world.dept_a_legal, meeting=m, org=world.dept_a, title="x",
                                 due=date(2026, 5, 1))


def test_overdue_items_selector(world):
    m = meeting(world)
    late = services.add_action_item(actor=world.supervisor, meeting=m, org=world.dept_a, title="逾期事项",
                                    due=date(2026, 4, 1))
    services.add_action_item(actor=world.supervisor, meeting=m, org=world.dept_a, title="未到期事项",
                             due=date(2026, 12, 31))
    assert list(selectors.overdue_items(world.supervisor, date(2026, 6, 1)).filter(meeting=m)) == [late]
    assert late not in selectors.overdue_items(world.town_a_legal, date(2026, 6, 1))
    assert world.meeting_item_b not in selectors.overdue_items(world.town_a_legal, date(2026, 6, 1))


def test_adopted_rule_linked_to_finding_case_and_generic_source(world):
    from yifa.supervision.services import raise_finding

    f = raise_finding(actor=world.supervisor, org=world.dept_a, category="procedure", description="未进行法制审核",
                      on=date(2026, 3, 2))
    r = services.adopt_rule(actor=world.dept_a_legal, org=world.dept_a, title="重大执法决定法制审核办法",
                            adopted_on=date(2026, 4, 1), doc_number="测市监发〔2026〕3号", text="第一条 ……",
                            finding=f, source=f)
    assert r.finding == f and r.source == f and list(selectors.rules_for_source(f)) == [r]
    with pytest.raises(DomainError) as exc:
        services.adopt_rule(actor=world.dept_a_legal, org=world.dept_a, title="无内容", adopted_on=date(2026, 4, 1))
    assert "text" in exc.value.fields
    with pytest.raises(PermissionDenied):
        services.adopt_rule(actor=world.town_a_legal, org=world.town_a, title="越权关联", adopted_on=date(2026, 4, 1),
                            text="x", finding=f)
    with pytest.raises(DomainError) as exc:
        services.adopt_rule(actor=world.dept_a_legal, org=world.dept_a, title="附件", adopted_on=date(2026, 4, 1),
                            attachment=SimpleUploadedFile("a.pdf", b"not a pdf"))
    assert "attachment" in exc.value.fields
    pdf = services.adopt_rule(actor=world.dept_a_legal, org=world.dept_a, title="附件制度", adopted_on=date(2026, 4, 1),
                              attachment=SimpleUploadedFile("制度.pdf", b"%PDF-1.4 test"))
    assert pdf.attachment_name == "制度.pdf" and AdoptedRule.objects.count() >= 2


def test_sweep_notifies_overdue_items_once(world):
    from yifa.supervision.meetings.sweep import run

    m = meeting(world)
    item = services.add_action_item(actor=world.supervisor, meeting=m, org=world.dept_a, title="逾期提醒事项",
                                    due=date(2026, 4, 30))
    assert not Notification.objects.filter(dedupe_key=f"meetings:action:{item.pk}:overdue").exists()
    run(date(2026, 4, 30))
    assert not Notification.objects.filter(dedupe_key=f"meetings:action:{item.pk}:overdue").exists()
    first = run(date(2026, 5, 1))["notifications"]
    assert first >= 1 and Notification.objects.filter(recipient=world.dept_a_legal,
                                                      dedupe_key=f"meetings:action:{item.pk}:overdue").exists()
    assert run(date(2026, 5, 2))["notifications"] == 0
    services.complete_action_item(actor=world.dept_a_legal, item=item, note="已落实", on=date(2026, 5, 3))
    assert run(date(2026, 5, 4))["notifications"] == 0
