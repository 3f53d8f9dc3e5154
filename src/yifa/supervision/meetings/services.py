"""Writes of the meetings app (联席会议, 议定事项, 制度建设): atomic, validated, audited."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from yifa.core.scoping import require_org_in_scope
from yifa.core import clock
from yifa.core.validation import check_version as _check_version, text_field as _text
from yifa.audit.services import record
from yifa.core.errors import DomainError, IllegalTransition
from yifa.core.services import notify
from yifa.orgs.models import Organization, Role, User

from .models import ActionItem, ActionState, AdoptedRule, JointMeeting

SUPERVISING = (Role.SUPERVISOR, Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER)
MAX_RULE_FILE_MB = 20


def can_manage(user) -> bool:
    return user is not None and user.is_authenticated and user.has_role(*SUPERVISING)


def _require(actor, org, what):
    if actor is None:
        return
    if not can_manage(actor):
        raise PermissionDenied(f"只有监督员、部门法制员或乡镇法制员可以{what}。")
    _in_scope(actor, org)


_in_scope = require_org_in_scope


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


# --- meetings -----------------------------------------------------------------------------------

def _meeting_snapshot(m: JointMeeting) -> dict:
    return {"title": m.title, "held_on": m.held_on, "year": m.year, "quarter": m.quarter, "location": m.location,
            "topics": m.topics, "minutes": m.minutes,
            "participants": sorted(m.participants.values_list("pk", flat=True)) if m.pk else []}


def _participants(actor, participants):
    participants = list(participants or [])
    if actor is not None:
        outside = [p.name for p in participants if not p.path.startswith(actor.scope_root.path)]
        if outside:
            raise DomainError("参会单位不在您的范围内：" + "、".join(outside), {"participants": ["不在范围内"]})
    return participants


@transaction.atomic
def record_meeting(*, actor, org: Organization, title: str, held_on: date, topics: str, participants=(),
                   minutes: str = "", location: str = "") -> JointMeeting:
    """Record a joint meeting convened by `org`; its quarter follows from the date."""
    if org is None:
        raise DomainError("请指定召集单位。", {"org": ["必填"]})
    _require(actor, org, "登记联席会议")
    title = _text(title, "title", "会议名称", 200)
    if not held_on:
        raise DomainError("请填写会议日期。", {"held_on": ["必填"]})
    if held_on > clock.today():
        raise DomainError("会议日期不能晚于今天（会议召开后登记）。", {"held_on": ["不能晚于今天"]})
    topics = _text(topics, "topics", "议题", 5000)
    m = JointMeeting.objects.create(org=org, title=title, held_on=held_on, year=held_on.year,
                                    quarter=quarter_of(held_on), topics=topics,
                                    minutes=_text(minutes, "minutes", "会议纪要", 50000, False),
                                    location=_text(location, "location", "地点", 200, False), created_by=actor)
    m.participants.set(_participants(actor, participants))
    record(actor, "meetings.meeting.record", m, after=_meeting_snapshot(m))
    return m


@transaction.atomic
def update_minutes(*, actor, meeting: JointMeeting, minutes: str, expected_version=None) -> JointMeeting:
    m = JointMeeting.objects.select_for_update(of=("self",)).select_related("org").get(pk=meeting.pk)
    _require(actor, m.org, "修改会议纪要")
    _check_version(m, expected_version)
    before = _meeting_snapshot(m)
    m.minutes = _text(minutes, "minutes", "会议纪要", 50000, False)
    m.version += 1
    m.save()
    record(actor, "meetings.meeting.minutes", m, before=before, after=_meeting_snapshot(m))
    return m


# --- action items -----------------------------------------------------------------------------

def _item_snapshot(i: ActionItem) -> dict:
    return {"meeting": i.meeting_id, "org": i.org_id, "owner": i.owner_id, "title": i.title, "due": i.due,
            "state": i.state, "completion_note": i.completion_note, "done_on": i.done_on}


def _unit_users(org) -> set:
    from yifa.deadlines.sweep import recipients_by_org

    users = set(User.objects.filter(org=org, is_active=True, role_assignments__role__in=SUPERVISING).distinct())
    return users | set(recipients_by_org([org]).get(org.pk, set()))


@transaction.atomic
def add_action_item(*, actor, meeting: JointMeeting, org: Organization, title: str, due: date,
                    owner=None) -> ActionItem:
    """A resolution of the meeting for the owner unit `org` (in the convener's scope)."""
    m = JointMeeting.objects.select_related("org").get(pk=meeting.pk)
    _require(actor, m.org, "登记会议议定事项")
    if org is None:
        raise DomainError("请指定责任单位。", {"org": ["必填"]})
    _in_scope(actor, org, "责任单位不在您的范围内。")
    title = _text(title, "title", "议定事项", 300)
    if not due:
        raise DomainError("请填写完成期限。", {"due": ["必填"]})
    if due < m.held_on:
        raise DomainError("完成期限不能早于会议日期。", {"due": ["不能早于会议日期"]})
    if owner is not None and not owner.org.path.startswith(org.path):
        raise DomainError("责任人应为责任单位（或其下属机构）的人员。", {"owner": ["责任人不属于责任单位"]})
    item = ActionItem.objects.create(meeting=m, org=org, owner=owner, title=title, due=due)
    record(actor, "meetings.action.add", item, after=_item_snapshot(item))
    recipients = _unit_users(org) | ({owner} if owner else set())
    url = reverse("meetings:item_detail", args=[item.pk])
    transaction.on_commit(lambda: notify(recipients=recipients, title=f"联席会议议定事项：{title[:60]}",
                                         body=f"{m.title}，请于 {due:%Y-%m-%d} 前落实并报告。", url=url,
                                         dedupe_key=f"meetings:action:{item.pk}"))
    return item


@transaction.atomic
def complete_action_item(*, actor, item: ActionItem, note: str, on: date | None = None,
                         expected_version=None) -> ActionItem:
    """The owner unit (or a supervisor over it) reports the item done, with what was done."""
    i = ActionItem.objects.select_for_update(of=("self",)).select_related("org", "meeting").get(pk=item.pk)
    if actor is not None:
        _in_scope(actor, i.org, "该事项不在您的管理范围内。")
        if not (can_manage(actor) or i.owner_id == actor.pk):
            raise PermissionDenied("只有责任人、法制员或监督员可以报告落实情况。")
    _check_version(i, expected_version)
    if i.state != ActionState.OPEN:
        raise IllegalTransition(f"该事项当前状态为“{i.get_state_display()}”，不能再次报告落实。")
    note = _text(note, "note", "落实情况", 5000)
    on = on or clock.today()
    if on < i.meeting.held_on:
        raise DomainError("完成日期不能早于会议日期。", {"on": ["不能早于会议日期"]})
    if on > clock.today():
        raise DomainError("完成日期不能晚于今天。", {"on": ["不能晚于今天"]})
    before = _item_snapshot(i)
    i.state, i.completion_note, i.done_on, i.done_by = ActionState.DONE, note, on, actor
    i.version += 1
    i.save()
    record(actor, "meetings.action.done", i, before=before, after=_item_snapshot(i))
    return i


# --- adopted rules (制度建设) -------------------------------------------------------------------

def _rule_snapshot(r: AdoptedRule) -> dict:
    return {"org": r.org_id, "title": r.title, "doc_number": r.doc_number, "adopted_on": r.adopted_on,
            "finding": r.finding_id, "case": r.case_id, "source_type": r.source_type_id, "source_id": r.source_id,
            "cause": r.cause, "attachment": r.attachment_name}


def _check_file(upload):
    from yifa.core.uploads import check_upload

    if upload is None:
        return None
    checked = check_upload(upload, kinds=("pdf", "docx"), max_bytes=MAX_RULE_FILE_MB * 1024 * 1024,
                           field="attachment", what="附件")
    return checked.kind.extensions[0]


@transaction.atomic
def adopt_rule(*, actor, org: Organization, title: str, adopted_on: date, doc_number: str = "", text: str = "",
               attachment=None, finding=None, case=None, source=None, cause: str = "") -> AdoptedRule:
    """Record a rule `org` adopted because of a finding, a case, or another record (`source`,
    e.g. an accountability wrong case). Every linked record must be in the actor's scope."""
    if org is None:
        raise DomainError("请指定制定单位。", {"org": ["必填"]})
    _require(actor, org, "登记制度建设")
    title = _text(title, "title", "制度名称", 200)
    if not adopted_on:
        raise DomainError("请填写印发日期。", {"adopted_on": ["必填"]})
    if adopted_on > clock.today():
        raise DomainError("印发日期不能晚于今天。", {"adopted_on": ["不能晚于今天"]})
    text = _text(text, "text", "制度内容", 100000, False)
    if not text and attachment is None:
        raise DomainError("请填写制度内容或上传制度文件。", {"text": ["制度内容和附件至少提供一项"]})
    for obj, field in ((finding, "finding"), (case, "case"), (source, "source")):
        if obj is not None and getattr(obj, "org", None) is not None:
            _in_scope(actor, obj.org, "关联的记录不在您的范围内。")
    ext = _check_file(attachment)
    r = AdoptedRule(org=org, title=title, doc_number=_text(doc_number, "doc_number", "文号", 100, False),
                    adopted_on=adopted_on, text=text, finding=finding, case=case,
                    cause=_text(cause, "cause", "起因说明", 300, False), created_by=actor)
    if source is not None:
        r.source_type, r.source_id = ContentType.objects.get_for_model(source), source.pk
    if ext:
        from yifa.core.uploads import safe_name

        r.attachment_name = safe_name(attachment.name)
        r.attachment.save(f"{org.pk}-{adopted_on:%Y%m%d}{ext}", attachment, save=False)
    r.save()
    record(actor, "meetings.rule.adopt", r, after=_rule_snapshot(r))
    return r
