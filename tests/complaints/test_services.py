from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError, IllegalTransition, StaleVersion
from yifa.core.models import Notification
from yifa.deadlines.models import DeadlineRule, TrackedDeadline
from yifa.supervision.complaints import selectors, services
from yifa.supervision.complaints.models import REPLY_RULE, Complaint, ComplaintState
from yifa.supervision.models import Finding

from .helpers import RECEIVED, staff_complaint

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


def test_reply_rule_is_a_labelled_local_default():
    rule = DeadlineRule.objects.get(code=REPLY_RULE)
    assert rule.is_local_default and "本地默认值" in rule.basis and rule.n == 60 and rule.unit == "CD"


def test_public_submission_gets_unguessable_code_and_is_audited(world):
    c = services.submit_public(subject_unit=world.dept_a, category="conduct", complainant_name="李四",
                               complainant_phone="13900001111", content="执法人员态度恶劣，辱骂当事人。")
    assert len(c.query_code) == 12 and c.query_code.isalnum() and c.query_code.upper() == c.query_code
    assert c.state == ComplaintState.RECEIVED and c.org == world.dept_a and c.source == "online"
    other = services.submit_public(subject_unit=world.dept_a, category="conduct", complainant_name="李四",
                                   complainant_phone="13900001111", content="执法人员态度恶劣，辱骂当事人。")
    assert other.query_code != c.query_code
    ev = AuditEvent.objects.get(action="complaint.submit_public", object_id=str(c.pk))
    assert "13900001111" not in str(ev.after) and "李四" not in str(ev.after)


@pytest.mark.parametrize("field,kw", [
    ("complainant_phone", {"complainant_phone": "12345"}),
    ("complainant_name", {"complainant_name": ""}),
    ("complainant_id_no", {"complainant_id_no": "123"}),
    ("content", {"content": "短"}),
    ("content", {"content": "长" * 5001}),
    ("category", {"category": "nope"}),
])
def test_malformed_public_input_is_refused_with_field_messages(world, field, kw):
    data = dict(subject_unit=world.dept_a, category="conduct", complainant_name="李四", complainant_phone="13900001111",
                content="执法人员态度恶劣，辱骂当事人。")
    data.update(kw)
    with pytest.raises(DomainError) as exc:
        services.submit_public(**data)
    assert field in exc.value.fields
    assert not Complaint.objects.filter(source="online", complainant_name="李四").exists()


def test_attachment_type_and_size_are_checked(world, settings):
    base = dict(subject_unit=world.dept_a, category="conduct", complainant_name="李四", complainant_phone="13900001111",
                content="执法人员态度恶劣，辱骂当事人。")
    with pytest.raises(DomainError) as exc:
        services.submit_public(**base, attachment=SimpleUploadedFile("a.png", b"MZ\x90\x00 not a picture"))
    assert "attachment" in exc.value.fields
    settings.YIFA_COMPLAINT_MAX_UPLOAD_MB = 1
    with pytest.raises(DomainError) as exc:
        services.submit_public(**base, attachment=SimpleUploadedFile("a.png", PNG + b"\0" * (1024 * 1024)))
    assert "1 MB" in exc.value.fields["attachment"][0]
    c = services.submit_public(**base, attachment=SimpleUploadedFile("现场.png", PNG))
    assert c.attachment_type == "image/png" and c.attachment_size == len(PNG) and c.attachment_name == "现场.png"


def test_staff_entry_requires_supervising_role_and_scope(world):
    with pytest.raises(PermissionDenied):
        services.register_complaint(
            actor=world.officer_a, subject_unit=world.dept_a, source="letter", category="fine",
            complainant_name="张三", complainant_phone="13812341234", content="执法人员在检查中随意罚款。")
    with pytest.raises(PermissionDenied):
        services.register_complaint(actor=world.town_a_legal, subject_unit=world.town_b, source="visit",
                                    category="fine", complainant_name="张三", complainant_phone="13812341234",
                                    content="执法人员在检查中随意罚款。")


def test_hotline_transfer_is_idempotent_on_ticket(world):
    c1 = staff_complaint(world, source="hotline", hotline_ticket="QH12345-20260302-0007")
    c2, created = services.register_complaint(
        actor=world.supervisor, subject_unit=world.dept_a, source="hotline", hotline_ticket="QH12345-20260302-0007",
        category="fine", complainant_name="张三丰", complainant_phone="13812341234",
        content="执法人员在检查中随意罚款且未出具任何文书。", on=RECEIVED)
    assert not created and c2.pk == c1.pk
    assert Complaint.objects.filter(hotline_ticket="QH12345-20260302-0007").count() == 1
    with pytest.raises(DomainError) as exc:
        staff_complaint(world, source="hotline", hotline_ticket="")
    assert "hotline_ticket" in exc.value.fields


def test_route_reply_close_with_deadline_and_notification(world, django_capture_on_commit_callbacks):
    c = staff_complaint(world)
    with django_capture_on_commit_callbacks(execute=True):
        c = services.route(actor=world.supervisor, complaint=c, unit=world.dept_a, note="请核查", on=date(2026, 3, 3))
    # 60 calendar days from 3 March end on Saturday 2 May (劳动节 holiday): the period rolls on to a working day
    assert c.state == ComplaintState.ROUTED and c.due > date(2026, 5, 2)
    d = TrackedDeadline.objects.get(rule__code=REPLY_RULE, owner_id=str(c.pk))
    assert d.org == world.dept_a and d.due == c.due
    assert Notification.objects.filter(recipient=world.dept_a_legal, dedupe_key__startswith=f"complaint:{c.pk}:routed").exists()
    with pytest.raises(IllegalTransition):
        services.close(actor=world.supervisor, complaint=c)  # nothing to close before a reply
    c = services.reply(actor=world.dept_a_legal, complaint=c, text="经核查，已责令退还罚款。", on=date(2026, 3, 20))
    d.refresh_from_db()
    assert c.state == ComplaintState.REPLIED and d.state == "met"
    c = services.close(actor=world.supervisor, complaint=c, on=date(2026, 3, 25))
    assert c.state == ComplaintState.CLOSED
    actions = list(AuditEvent.objects.filter(object_id=str(c.pk), action__startswith="complaint.")
                   .values_list("action", flat=True))
    assert {"complaint.register", "complaint.route", "complaint.reply", "complaint.close"} <= set(actions)


def test_illegal_moves_stale_versions_and_reasons(world):
    c = staff_complaint(world)
    with pytest.raises(IllegalTransition):
        services.reply(actor=world.dept_a_legal, complaint=c, text="答复")
    with pytest.raises(StaleVersion):
        services.route(actor=world.supervisor, complaint=c, unit=world.dept_a, on=date(2026, 3, 3),
                       expected_version=c.version + 1)
    with pytest.raises(DomainError) as exc:
        services.reject(actor=world.supervisor, complaint=c, reason=" ")
    assert "reason" in exc.value.fields
    with pytest.raises(PermissionDenied):
        services.route(actor=world.officer_a, complaint=c, unit=world.dept_a, on=date(2026, 3, 3))
    with pytest.raises(PermissionDenied):  # routing outside the router's scope
        services.route(actor=world.dept_a_legal, complaint=c, unit=world.town_b, on=date(2026, 3, 3))
    c = services.reject(actor=world.supervisor, complaint=c, reason="不属于行政执法监督受理范围，已告知向法院起诉。")
    assert c.state == ComplaintState.REJECTED
    with pytest.raises(IllegalTransition):
        services.route(actor=world.supervisor, complaint=c, unit=world.dept_a, on=date(2026, 3, 3))


def test_route_into_a_year_without_holidays_is_provisional_not_refused(world):
    """2027 has no holiday notice in the seeded table: routing succeeds with a provisional
    reply period (LEGAL_RULES.md, *Years without a notice*)."""
    c = staff_complaint(world, on=date(2026, 11, 20))
    c = services.route(actor=world.supervisor, complaint=c, unit=world.dept_a, on=date(2026, 11, 20))
    assert c.state == ComplaintState.ROUTED and c.due_provisional
    d = TrackedDeadline.objects.get(owner_type="complaints.complaint", owner_id=str(c.pk))
    assert (d.provisional, d.waiting_for_year, d.due) == (True, 2027, c.due)


def test_complaint_becomes_a_public_supervision_finding(world):
    c = staff_complaint(world, complainant_name="王小明", content="王小明反映执法人员随意罚款，电话13812341234。")
    f = services.to_finding(actor=world.supervisor, complaint=c, category="substance", on=date(2026, 3, 5))
    c.refresh_from_db()
    assert c.finding == f and f.source == "public" and f.org == world.dept_a and f.due is not None
    assert "王小明" not in f.description and "13812341234" not in f.description and c.query_code in f.description
    with pytest.raises(IllegalTransition):
        services.to_finding(actor=world.supervisor, complaint=c, category="substance", on=date(2026, 3, 5))
    assert Finding.objects.filter(complaints=c).count() == 1


def test_lookup_needs_code_and_phone_and_counts_failures(world, settings):
    from django.core.cache import cache

    cache.clear()
    c = staff_complaint(world)
    assert services.lookup(query_code=c.query_code.lower(), phone_last4="1234", ip="10.9.9.9") == c
    assert services.lookup(query_code=c.query_code, phone_last4="0000", ip="10.9.9.9") is None
    settings.YIFA_COMPLAINT_QUERY_RATE_PER_HOUR = 3
    assert services.lookup(query_code="WRONGCODE123", phone_last4="1234", ip="10.9.9.9") is None
    assert services.lookup(query_code="WRONGCODE124", phone_last4="1234", ip="10.9.9.9") is None
    with pytest.raises(services.RateLimited):
        services.lookup(query_code=c.query_code, phone_last4="1234", ip="10.9.9.9")
    assert services.lookup(query_code=c.query_code, phone_last4="1234", ip="10.9.9.8") == c
    cache.clear()


def test_complaint_metrics(world):
    a = staff_complaint(world)
    b = staff_complaint(world, source="hotline", hotline_ticket="T-1")
    staff_complaint(world, unit=world.town_a, source="visit")
    staff_complaint(world, on=date(2025, 3, 2))  # outside the period
    services.route(actor=world.supervisor, complaint=a, unit=world.dept_a, on=date(2026, 3, 3))
    services.reply(actor=world.dept_a_legal, complaint=a, text="已答复", on=date(2026, 3, 10))
    services.route(actor=world.supervisor, complaint=b, unit=world.dept_a, on=date(2026, 3, 3))
    m = selectors.complaint_metrics(world.county, date(2026, 1, 1), date(2026, 12, 31), today=date(2026, 11, 1))
    assert m["total"] == 3 and m["replied"] == 1 and m["routed"] == 1 and m["to_route"] == 1
    assert m["answered_on_time"] == 1 and m["on_time_rate"] == 100.0 and m["overdue_open"] == 1
    assert m["by_source"] == {"letter": 1, "hotline": 1, "visit": 1}
    assert {r["org__name"]: r["n"] for r in m["by_unit"]} == {world.dept_a.name: 2, world.town_a.name: 1}
    only_a = selectors.complaint_metrics(world.town_a, date(2026, 1, 1), date(2026, 12, 31))
    assert only_a["total"] == 1
