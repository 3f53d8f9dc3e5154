"""Every write of the review app: keyword-only `actor`, atomic, audited.

Workflow moves go through `yifa.core.workflows.transition` with the `REVIEW` table; the
effects below (assignment, deadlines, the 意见书) run inside that transaction.
"""

import io
import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse

from yifa.core import clock
from yifa.audit.services import record
from yifa.core.errors import DomainError, StaleVersion
from yifa.core.services import notify
from yifa.core.workflows import GuardFailed, transition
from yifa.orgs.models import Organization, OrgKind, Role, User

from . import precheck
from .models import (LIVE_DISPOSITIONS, OPEN_REVIEW_STATES, TIER_ORDER, TIER_ROLE, TIER_RULE, Adoption, AdvisorEvaluation,
                     AdvisorStatus, Assignment, Conclusion, DutyRota, ItemState, ItemType, LegalAdvisor,
                     ExampleSource, PrecheckCategory, PrecheckExample, PrecheckHint, ReviewDraft, ReviewItem,
                     ReviewOpinion, Suggestion, Tier, county_root)


class Conflict(DomainError):
    status = 409
    code = "conflict"


UNIT_ROLES = (Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER, Role.ADMIN)
ITEM_FIELDS = ("title", "item_type", "specialty", "draft_text", "drafting_explanation", "legal_basis",
               "public_participation", "comment_start", "comment_end", "expert_argumentation", "risk_assessment",
               "counterparty", "needed_by", "urgent_reason")


def _workflow():
    from .workflows import REVIEW

    return REVIEW


def _today(on=None) -> date:
    return on or clock.today()


def _snapshot(item) -> dict:
    return {"state": item.state, "round": item.round, "title": item.title, "item_type": item.item_type,
            "version": item.version}


# --- uploads ----------------------------------------------------------------------------------

def max_upload_bytes() -> int:
    return int(getattr(settings, "YIFA_REVIEW_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(c.text for c in row.cells if c.text.strip()))
    return "\n".join(lines)


def read_upload(upload) -> tuple[bytes, str, str]:
    """(bytes, kind, name) of an uploaded draft: a .docx or .pdf whose content agrees with its
    name, checked by the one upload validator (core.uploads)."""
    from yifa.core.uploads import check_upload

    checked = check_upload(upload, kinds=("docx", "pdf"), max_bytes=max_upload_bytes(), field="draft_file",
                           what="送审稿文件")
    upload.seek(0)
    return upload.read(), checked.kind.code, checked.name


# --- intake ------------------------------------------------------------------------------------

def intake_problems(item) -> list[str]:
    """Every missing material and defect at once (the unit is told all of them together)."""
    problems = []
    values = {f: getattr(item, f) for f in ITEM_FIELDS}
    if not (item.draft_text or "").strip():
        problems.append("未提交送审稿文本")
    for check in precheck.missing_procedures(item.item_type, values):
        problems.append(f"{check.message}（{check.basis}）")
    if item.item_type == ItemType.MAJOR_DECISION:
        if not item.comment_start or not item.comment_end:
            problems.append("未写明公开征求意见的起止日期（《重大行政决策程序暂行条例》第十五条）")
        elif item.comment_end < item.comment_start:
            problems.append("征求意见截止日早于开始日")
        else:
            short = comment_period_shortfall(item.comment_start, item.comment_end, org=item.org)
            if short:
                problems.append(short)
        short = review_time_shortfall(item)
        if short:
            problems.append(short)
    return problems


def review_time_shortfall(item) -> str:
    """Major decisions: the submitting unit must leave the reviewers at least seven working
    days before it needs the result (重大行政决策程序暂行条例 art. 26: “一般不少于7个工作日”),
    unless it records why it cannot. Without a date there is nothing to check."""
    if item.item_type != ItemType.MAJOR_DECISION or item.needed_by is None:
        return ""
    from yifa.deadlines import engine

    res = engine.compute("review.major_decision.min", item.submitted_on, org=item.org)
    if item.needed_by < res.due and not (item.urgent_reason or "").strip():
        return (f"送请合法性审查应当保证必要的审查时间：拟提请审议日期为 {item.needed_by:%Y-%m-%d}，"
                f"留给审查的时间不足 {res.n} 个工作日（最早应为 {res.due:%Y-%m-%d}，{res.basis}）；"
                "确需缩短的，请填写理由")
    return ""


def comment_period_shortfall(start: date, end: date, *, org=None) -> str:
    """A message when the public comment period is shorter than the legal minimum."""
    from yifa.deadlines import engine

    res = engine.compute("decision.public_comment.min", start, org=org)
    days = (end - start).days
    if end < res.due:
        return (f"公开征求意见期限仅 {days} 日，少于法定最短期限 {res.n} 日（应至少至 {res.due:%Y-%m-%d}，"
                f"{res.basis}）")
    return ""


def check_minimum_review_time(item, *, on=None, reason: str = "") -> None:
    """Normative documents: the review cannot be finished in fewer than the minimum working
    days from acceptance (local default 5, rule `normative.review.min`) unless a reason is
    recorded. (For major decisions the seven-day floor binds the submitting unit: see
    `review_time_shortfall`, checked at submission.)"""
    if item.item_type != ItemType.NORMATIVE_DOCUMENT or item.accepted_on is None:
        return
    from yifa.deadlines import engine

    res = engine.compute("normative.review.min", item.accepted_on, org=item.org)
    today = _today(on)
    if today < res.due and not (reason or item.short_review_reason or "").strip():
        raise GuardFailed(f"行政规范性文件合法性审查自受理（{item.accepted_on:%Y-%m-%d}）起不少于 {res.n} 个工作日，"
                          f"最早 {res.due:%Y-%m-%d} 可完成；提前完成须填写理由", rule=res.basis,
                          fields={"short_reason": ["提前完成须填写理由。"]})


NORMATIVE_RULE = "normative.review"


def _close_normative_deadline(item, *, on):
    from yifa.deadlines import services as dl
    from yifa.deadlines.selectors import deadlines_for_owner

    for d in deadlines_for_owner(item).filter(rule__code=NORMATIVE_RULE, state__in=("open", "extended", "suspended")):
        dl.close_deadline(actor=None, deadline=d, met_on=max(on, d.start))


def _advisor_office_for(org):
    gov = org.government()
    return (Organization.objects.filter(path__startswith=gov.path, kind=OrgKind.ADVISOR_OFFICE, is_active=True)
            .order_by("path").first())


def _create_hints(item, round_no):
    hints = [PrecheckHint(org=item.org, item=item, round=round_no, rule_code=h.rule_code, category=h.label,
                          quote=h.quote, explanation=h.explanation[:300], basis=h.basis[:300])
             for h in precheck.check_text(item.draft_text)]
    values = {f: getattr(item, f) for f in ITEM_FIELDS}
    for check in precheck.missing_procedures(item.item_type, values):
        hints.append(PrecheckHint(org=item.org, item=item, round=round_no, rule_code=check.code, category="程序记录缺失",
                                  quote="（送审材料）", explanation=check.message, basis=check.basis[:300]))
    PrecheckHint.objects.bulk_create(hints)
    return hints


def _store_draft(item, round_no, *, data=None, kind="", name=""):
    draft = ReviewDraft(org=item.org, item=item, round=round_no, text=item.draft_text, file_kind=kind,
                        file_name=name)
    if data is not None:
        draft.file.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(data), save=False)
    else:
        # No new file with a resubmission: the round keeps the last uploaded file (the same
        # stored file; earlier rounds still show theirs).
        earlier = (ReviewDraft.objects.filter(item=item, round__lt=round_no).exclude(file="")
                   .order_by("-round").first())
        if earlier is not None:
            draft.file, draft.file_kind, draft.file_name = earlier.file.name, earlier.file_kind, earlier.file_name
    draft.save()
    return draft


def _check_unit_actor(actor, org):
    if actor is None:
        return
    if not actor.has_role(*UNIT_ROLES):
        raise PermissionDenied("只有部门或乡镇法制员可以报送合法性审查事项。")
    if not org.path.startswith(actor.scope_root.path):
        raise PermissionDenied("报送单位不在您的管理范围内。")


def _clean_fields(fields: dict) -> dict:
    errors = {}
    if not str(fields.get("title") or "").strip():
        errors["title"] = ["请填写事项名称。"]
    if fields.get("item_type") not in ItemType.values:
        errors["item_type"] = ["请选择事项类型。"]
    cs, ce = fields.get("comment_start"), fields.get("comment_end")
    if cs and ce and ce < cs:
        errors["comment_end"] = ["截止日不能早于开始日。"]
    if errors:
        raise DomainError("提交的数据有误。", errors)
    return fields


@transaction.atomic
def submit_item(*, actor, org=None, upload=None, on=None, **fields) -> ReviewItem:
    """A department or township submits an item. Intake checks completeness at once: an
    incomplete item is returned listing every missing material."""
    org = org or (actor.scope_root if actor else None)
    if org is None:
        raise DomainError("请指定报送单位。", {"org": ["必填"]})
    _check_unit_actor(actor, org)
    fields = _clean_fields({k: v for k, v in fields.items() if k in ITEM_FIELDS})
    data = kind = name = None
    if upload is not None:
        data, kind, name = read_upload(upload)
        if kind == "docx" and not str(fields.get("draft_text") or "").strip():
            fields["draft_text"] = docx_text(data)
    if not str(fields.get("draft_text") or "").strip():
        raise DomainError("请上传送审稿（docx/pdf）并填写或提取其文本。", {"draft_text": ["送审稿文本不能为空。"]})
    today = _today(on)
    item = ReviewItem.objects.create(
        org=org, number=f"TMP-{uuid.uuid4().hex}", submitted_by=actor if getattr(actor, "pk", None) else None,
        submitted_on=today, advisor_office=_advisor_office_for(org), **fields)
    item.number = f"合审{today.year}-{item.pk:06d}"
    item.save(update_fields=["number"])
    _store_draft(item, 1, data=data, kind=kind or "", name=name or "")
    _create_hints(item, 1)
    record(actor, "review.submit", item, after=_snapshot(item))
    _intake(item)
    transaction.on_commit(lambda: notify_office(item))
    return ReviewItem.objects.get(pk=item.pk)


def _intake(item):
    problems = intake_problems(item)
    if problems:
        item.intake_problems = problems
        item.save(update_fields=["intake_problems"])
        transition(item, "return_intake", actor=None, workflow=_workflow(),
                   reason="受理审查：材料不齐全，一次性告知需补正的全部内容：" + "；".join(problems))
    else:
        item.intake_problems = []
        item.save(update_fields=["intake_problems"])


def _lock_visible(actor, item):
    if actor is not None and not ReviewItem.objects.visible_to(actor).filter(pk=item.pk).exists():
        raise Http404("未找到该审查事项。")
    return ReviewItem.objects.select_for_update(of=("self",)).get(pk=item.pk)


def _check_version(item, expected_version):
    if expected_version is not None and int(expected_version) != item.version:
        raise StaleVersion("该事项已被他人处理，请刷新后重试。")


@transaction.atomic
def resubmit_item(*, actor, item, upload=None, expected_version=None, on=None, **fields) -> ReviewItem:
    """The unit resubmits a returned item: a new round with the new draft (earlier rounds
    stay readable), checked again at intake."""
    locked = _lock_visible(actor, item)
    _check_version(locked, expected_version)
    if locked.state != ItemState.RETURNED:
        from yifa.core.errors import IllegalTransition

        raise IllegalTransition(f"当前状态“{locked.get_state_display()}”不能重新报送。")
    _check_unit_actor(actor, locked.org)
    changes = {k: v for k, v in fields.items() if k in ITEM_FIELDS and v is not None}
    data = kind = name = None
    if upload is not None:
        data, kind, name = read_upload(upload)
        if kind == "docx" and not str(changes.get("draft_text") or "").strip():
            changes["draft_text"] = docx_text(data)
    for k, v in changes.items():
        setattr(locked, k, v)
    _clean_fields({f: getattr(locked, f) for f in ITEM_FIELDS})
    locked.round += 1
    locked.save()
    _store_draft(locked, locked.round, data=data, kind=kind or "", name=name or "")
    _create_hints(locked, locked.round)
    moved = transition(locked, "resubmit", actor=actor, workflow=_workflow(), on=on,
                       reason=f"第 {locked.round} 轮送审")
    _intake(moved)
    return ReviewItem.objects.get(pk=item.pk)


# --- assignment --------------------------------------------------------------------------------

def _load(tier) -> dict:
    """Open assignments per reviewer (current workload)."""
    rows = (Assignment.objects.filter(active=True, completed_on__isnull=True,
                                      item__state__in=OPEN_REVIEW_STATES)
            .values("reviewer_id").annotate(n=Count("id")))
    return {r["reviewer_id"]: r["n"] for r in rows}


def _candidates(item, tier):
    role = TIER_ROLE[tier]
    office = item.advisor_office or _advisor_office_for(item.org)
    qs = User.objects.filter(is_active=True, role_assignments__role=role)
    if office is not None:
        qs = qs.filter(Q(org__path__startswith=office.path) | Q(legal_advisor__org__path__startswith=office.path))
    excluded = Assignment.objects.filter(item=item, recused=True).values("reviewer_id")
    return list(qs.exclude(pk__in=excluded).distinct().order_by("pk"))


def pick_reviewer(item, tier, *, on=None):
    """初审: the duty lawyer of the day (rota); 复审: the expert whose specialties match the
    item, least loaded first; 终审: the least loaded member of the advisor office.
    Lawyers who recused from this item are never picked again."""
    today = _today(on)
    candidates = _candidates(item, tier)
    if not candidates:
        return None, ""
    load = _load(tier)
    ids = {u.pk for u in candidates}
    if tier == Tier.FIRST:
        rota = (DutyRota.objects.filter(date=today, advisor__user_id__in=ids, advisor__status=AdvisorStatus.ACTIVE)
                .select_related("advisor__user").order_by("id"))
        on_duty = [d.advisor.user for d in rota]
        if on_duty:
            return min(on_duty, key=lambda u: (load.get(u.pk, 0), u.pk)), "当日坐班"
        return min(candidates, key=lambda u: (load.get(u.pk, 0), u.pk)), "当日无坐班安排，按工作量分配"
    if tier == Tier.SECOND and item.specialty:
        matching = set(LegalAdvisor.objects.filter(user_id__in=ids, specialties__contains=item.specialty,
                                                   status=AdvisorStatus.ACTIVE).values_list("user_id", flat=True))
        pool = [u for u in candidates if u.pk in matching]
        if pool:
            return min(pool, key=lambda u: (load.get(u.pk, 0), u.pk)), f"专业匹配（{item.specialty}），工作量最少"
    return min(candidates, key=lambda u: (load.get(u.pk, 0), u.pk)), "按工作量分配"


def _assign(item, tier, *, actor, on=None, reviewer=None, how=""):
    today = _today(on)
    if reviewer is None:
        reviewer, how = pick_reviewer(item, tier, on=today)
    if reviewer is None:
        raise GuardFailed(f"没有可分配的{Tier(tier).label}审查人员（请维护法律顾问账号与坐班表）",
                          rule="三审联动工作机制")
    a = Assignment.objects.create(org=item.org, item=item, round=item.round, tier=tier, reviewer=reviewer,
                                  assigned_on=today, how=how[:40])
    start_tier_deadline(item, tier, reviewer=reviewer, start=today, actor=actor)
    return a


def start_tier_deadline(item, tier, *, reviewer, start, actor=None):
    from yifa.deadlines import services as dl

    return dl.start_deadline(actor=None, owner=item, rule_code=TIER_RULE[tier], start=start, org=item.org,
                             handler=reviewer, title=f"{item.title}（{Tier(tier).label}）")


def _close_tier_deadlines(item, *, on):
    from yifa.deadlines import services as dl
    from yifa.deadlines.selectors import deadlines_for_owner

    for d in deadlines_for_owner(item).filter(rule__code__in=list(TIER_RULE.values()),
                                              state__in=("open", "extended", "suspended")):
        dl.close_deadline(actor=None, deadline=d, met_on=max(on, d.start))


def _complete_assignment(item, tier, on):
    Assignment.objects.filter(item=item, round=item.round, tier=tier, active=True).update(completed_on=on)


# --- workflow effects (called inside transition()) ----------------------------------------------

def on_accept(item, actor, payload):
    today = _today(payload.get("on"))
    item.accepted_on = today
    item.intake_problems = []
    item.save(update_fields=["accepted_on", "intake_problems"])
    if item.item_type == ItemType.NORMATIVE_DOCUMENT:
        from yifa.deadlines import services as dl

        dl.start_deadline(actor=None, owner=item, rule_code=NORMATIVE_RULE, start=today, org=item.org,
                          title=f"{item.title}（规范性文件合法性审查）")
    _assign(item, Tier.FIRST, actor=actor, on=today)


def on_tier_done(item, actor, payload):
    today = _today(payload.get("on"))
    done = TIER_ORDER[TIER_ORDER.index(item.state) - 1]  # the state has already moved on
    _complete_assignment(item, done, today)
    _close_tier_deadlines(item, on=today)
    _assign(item, item.state, actor=actor, on=today)


def on_returned(item, actor, payload):
    today = _today(payload.get("on"))
    Assignment.objects.filter(item=item, round=item.round, active=True, completed_on__isnull=True).update(
        completed_on=today)
    _close_tier_deadlines(item, on=today)
    _close_normative_deadline(item, on=today)


def on_resubmit(item, actor, payload):
    pass


def on_final(item, actor, payload):
    today = _today(payload.get("on"))
    _complete_assignment(item, Tier.FINAL, today)
    _close_tier_deadlines(item, on=today)
    _close_normative_deadline(item, on=today)
    opinion = ReviewOpinion.objects.get(item=item, round=item.round, tier=Tier.FINAL)
    item.final_conclusion = opinion.conclusion
    item.issued_on = today
    if payload.get("short_reason"):
        item.short_review_reason = payload["short_reason"][:300]
    doc = issue_letter(item, actor=actor, on=today)
    if doc is not None:
        item.letter_number = doc.doc_number
        item.letter_document_id = doc.pk
    item.save()


def on_cleared(item, actor, payload):
    item.cleared_on = _today(payload.get("on"))
    item.save(update_fields=["cleared_on"])


def on_filed(item, actor, payload):
    item.filed_on = _today(payload.get("on"))
    item.filing_number = str(payload.get("filing_number") or "")[:60]
    item.save(update_fields=["filed_on", "filing_number"])


# --- notifications (after commit) ----------------------------------------------------------------

def _item_url(item):
    return reverse("review:item_detail", args=[item.pk])


def notify_office(item):
    if item.state != ItemState.SUBMITTED or item.advisor_office is None:
        return
    users = User.objects.filter(org=item.advisor_office, role_assignments__role=Role.ADVISOR_OFFICE, is_active=True)
    notify(recipients=list(users), title=f"新的合法性审查事项待受理：{item.title}", url=_item_url(item),
           dedupe_key=f"review:{item.pk}:r{item.round}:submitted")


def notify_assigned(item, actor, payload):
    a = item.current_assignment()
    if a is not None:
        notify(recipients=[a.reviewer], title=f"请审查：{item.title}（{a.get_tier_display()}）", url=_item_url(item),
               dedupe_key=f"review:{item.pk}:r{item.round}:{a.tier}:{a.pk}")


def notify_unit(item, actor, payload):
    users = User.objects.filter(Q(pk=item.submitted_by_id) | Q(org=item.org), is_active=True).distinct()[:20]
    notify(recipients=list(users), title=f"合法性审查：{item.title} — {item.get_state_display()}",
           url=_item_url(item), dedupe_key=f"review:{item.pk}:r{item.round}:{item.state}:{item.version}")


# --- reviewer actions -------------------------------------------------------------------------------

def _require_assigned(item, actor, tier):
    a = Assignment.objects.filter(item=item, round=item.round, tier=tier, active=True).first()
    if actor is not None and (a is None or a.reviewer_id != actor.pk):
        raise Http404("该事项的本审级未分配给您。")
    return a


def act(item, action: str, *, actor, reason: str = "", expected_version=None, on=None, payload=None):
    """Any workflow move requested through a view or the API. Reviewer actions need the
    current tier's assignment (acting on an item not assigned to you is 404)."""
    from .workflows import OPINION_ACTION

    if action in OPINION_ACTION.values():
        raise DomainError("提交审查意见请使用审查意见接口（须填写主体权限、程序、内容和结论）。",
                          {"action": ["请使用审查意见接口。"]})
    if action == "return_revision" and item.state in OPEN_REVIEW_STATES and actor is not None:
        if not actor.has_role(Role.ADVISOR_OFFICE):
            _require_assigned(item, actor, item.state)
    return transition(item, action, actor=actor, workflow=_workflow(), reason=reason, on=on,
                      expected_version=expected_version, payload={**(payload or {}), "on": on})


def earlier_suggestions(item, tier):
    """The suggestions a tier starts from: those of the earlier tiers of this round that
    still stand (not changed or dropped by a tier in between), in tier order."""
    earlier = [t for t in TIER_ORDER[:TIER_ORDER.index(tier)]] if tier in TIER_ORDER else []
    rows = list(Suggestion.objects.live().filter(opinion__item=item, opinion__round=item.round,
                                                 opinion__tier__in=earlier).select_related("opinion"))
    return sorted(rows, key=lambda s: (TIER_ORDER.index(s.opinion.tier), s.pk))


def _clean_suggestion(s: dict, where: str, errors: dict):
    quote, text = str(s.get("quote") or "").strip(), str(s.get("suggestion") or "").strip()
    clause = str(s.get("clause") or "").strip()[:60]
    if not text:
        errors[where] = ["请填写修改建议。"]
    return clause, quote, text, str(s.get("basis") or "").strip()[:300]


def _clean_dispositions(item, tier, dispositions, errors):
    """{earlier suggestion id: {"action": kept|changed|dropped, clause, quote, suggestion,
    basis}} → [(earlier, action, cleaned fields or None)]. An earlier suggestion that is
    not mentioned is kept as it stands."""
    from .models import Disposition

    earlier = {s.pk: s for s in earlier_suggestions(item, tier)}
    out = []
    for key, d in (dispositions or {}).items():
        try:
            s = earlier[int(key)]
        except (KeyError, TypeError, ValueError):
            errors[f"dispositions[{key}]"] = ["不是本轮前一审级的有效建议。"]
            continue
        action = str((d or {}).get("action") or "")
        if action not in Disposition.values:
            errors[f"dispositions[{key}]"] = ["请选择 保留 / 修改 / 删除。"]
            continue
        fields = _clean_suggestion(d, f"dispositions[{key}]", errors) if action == Disposition.CHANGED else None
        out.append((s, action, fields))
    return out


@transaction.atomic
def submit_opinion(*, actor, item, tier, authority, procedure, content, conclusion, suggestions=(),
                   dispositions=None, expected_version=None, on=None, short_reason: str = "") -> ReviewOpinion:
    """A reviewer's structured opinion for the current tier; moves the item to the next
    tier (or, for the final tier, issues the 意见书). Two reviewers submitting the same
    tier at once: one succeeds, the other gets a 409 conflict.

    A later tier starts from the earlier tiers' standing suggestions (`earlier_suggestions`)
    instead of retyping them: `dispositions` keeps, changes (a new suggestion of this tier
    replaces it) or drops each; one not mentioned is kept. `suggestions` are new ones."""
    from .models import Disposition
    from .workflows import OPINION_ACTION

    locked = _lock_visible(actor, item)
    if tier not in OPINION_ACTION:
        raise DomainError("未知的审级。", {"tier": ["应为 first_review / second_review / final_review。"]})
    if locked.state != tier:
        from yifa.core.errors import IllegalTransition

        raise IllegalTransition(f"当前状态“{locked.get_state_display()}”，不能提交{Tier(tier).label}意见"
                                "（审级不能跳过，也不能重复提交）。")
    _require_assigned(locked, actor, tier)
    _check_version(locked, expected_version)
    errors = {}
    for name, value in (("authority", authority), ("procedure", procedure), ("content", content)):
        if not str(value or "").strip():
            errors[name] = ["请填写审查意见。"]
    if conclusion not in Conclusion.values:
        errors["conclusion"] = ["结论应为 同意 / 修改后同意 / 不同意。"]
    clean = []
    for i, s in enumerate(suggestions or []):
        if not any(str(s.get(k) or "").strip() for k in ("clause", "quote", "suggestion")):
            continue
        clean.append(_clean_suggestion(s, f"suggestions[{i}]", errors))
    disposed = _clean_dispositions(locked, tier, dispositions, errors)
    standing = len(earlier_suggestions(locked, tier)) - sum(1 for _, a, _ in disposed if a == Disposition.DROPPED)
    if conclusion == Conclusion.AGREE_MODIFIED and not clean and standing <= 0:
        errors["suggestions"] = ["结论为“修改后同意”时须至少提出一条修改建议。"]
    if errors:
        raise DomainError("审查意见不完整。", errors)
    today = _today(on)
    try:
        with transaction.atomic():
            opinion = ReviewOpinion.objects.create(
                org=locked.org, item=locked, round=locked.round, tier=tier, reviewer=actor, authority=authority,
                procedure=procedure, content=content, conclusion=conclusion, submitted_on=today)
    except IntegrityError as exc:
        raise Conflict("本审级意见已由他人提交，请刷新后查看。") from exc
    counts = {Disposition.KEPT: 0, Disposition.CHANGED: 0, Disposition.DROPPED: 0}
    for earlier, action, fields in disposed:
        if action == Disposition.CHANGED:
            c, q, t, b = fields
            Suggestion.objects.create(org=locked.org, opinion=opinion, clause=c, quote=q, suggestion=t, basis=b,
                                      carried_from=earlier)
        Suggestion.objects.filter(pk=earlier.pk).update(disposition=action, disposition_tier=tier)
        counts[action] += 1
    Suggestion.objects.bulk_create([Suggestion(org=locked.org, opinion=opinion, clause=c, quote=q, suggestion=t,
                                               basis=b) for c, q, t, b in clean])
    record(actor, "review.opinion", locked,
           after={"tier": tier, "round": locked.round, "conclusion": conclusion, "suggestions": len(clean),
                  **({"kept": counts[Disposition.KEPT], "changed": counts[Disposition.CHANGED],
                      "dropped": counts[Disposition.DROPPED]} if disposed else {})})
    transition(locked, OPINION_ACTION[tier], actor=actor, workflow=_workflow(), on=today,
               reason=f"{Tier(tier).label}结论：{Conclusion(conclusion).label}",
               payload={"on": today, "short_reason": short_reason})
    return opinion


@transaction.atomic
def recuse(*, actor, item, reason: str, on=None) -> Assignment:
    """The assigned reviewer declares a conflict of interest; the tier is reassigned to
    someone else (never back to anyone who recused from this item)."""
    locked = _lock_visible(actor, item)
    tier = locked.current_tier
    if tier is None:
        from yifa.core.errors import IllegalTransition

        raise IllegalTransition("该事项当前不在审查中，无需回避。")
    a = _require_assigned(locked, actor, tier)
    if not (reason or "").strip():
        raise DomainError("请填写回避理由（利益冲突情形）。", {"reason": ["必填"]})
    today = _today(on)
    a.active, a.recused, a.recusal_reason = False, True, reason.strip()[:300]
    a.save(update_fields=["active", "recused", "recusal_reason"])
    new = _reassign(locked, tier, actor=actor, on=today, reviewer=None, how="回避后重新分配")
    record(actor, "review.recuse", locked, before={"reviewer": a.reviewer_id, "tier": tier},
           after={"reviewer": new.reviewer_id, "tier": tier}, reason=reason)
    locked.version += 1
    locked.save(update_fields=["version"])
    transaction.on_commit(lambda: notify_assigned(locked, actor, {}))
    return new


def _reassign(item, tier, *, actor, on, reviewer, how):
    from yifa.deadlines import services as dl
    from yifa.deadlines.selectors import deadlines_for_owner

    Assignment.objects.filter(item=item, round=item.round, tier=tier, active=True).update(active=False)
    if reviewer is None:
        reviewer, how2 = pick_reviewer(item, tier, on=on)
        how = how or how2
    if reviewer is None:
        raise GuardFailed(f"没有其他可分配的{Tier(tier).label}审查人员", rule="三审联动工作机制")
    # the tier's clock keeps running: close the old deadline and start the same period for the new handler
    start = on
    for d in deadlines_for_owner(item).filter(rule__code=TIER_RULE[tier], state__in=("open", "extended")):
        start = d.start
        dl.close_deadline(actor=None, deadline=d, met_on=max(on, d.start), reason="审查人变更")
    a = Assignment.objects.create(org=item.org, item=item, round=item.round, tier=tier, reviewer=reviewer,
                                  assigned_on=on, how=how[:40])
    start_tier_deadline(item, tier, reviewer=reviewer, start=start)
    return a


@transaction.atomic
def reassign(*, actor, item, reviewer, reason: str, on=None) -> Assignment:
    """The advisor office reassigns the current tier."""
    locked = _lock_visible(actor, item)
    if actor is not None and not actor.has_role(Role.ADVISOR_OFFICE):
        raise PermissionDenied("只有法律顾问室可以调整审查人员。")
    tier = locked.current_tier
    if tier is None:
        from yifa.core.errors import IllegalTransition

        raise IllegalTransition("该事项当前不在审查中。")
    if reviewer is not None:
        if not reviewer.has_role(TIER_ROLE[tier]):
            raise DomainError(f"所选人员不具备{Tier(tier).label}的角色。", {"reviewer": ["角色不符。"]})
        if Assignment.objects.filter(item=locked, reviewer=reviewer, recused=True).exists():
            raise DomainError("该人员已就本事项申请回避，不能再分配。", {"reviewer": ["已回避。"]})
    if not (reason or "").strip():
        raise DomainError("请填写调整理由。", {"reason": ["必填"]})
    old = locked.current_assignment()
    new = _reassign(locked, tier, actor=actor, on=_today(on), reviewer=reviewer, how="法律顾问室调整")
    record(actor, "review.reassign", locked, before={"reviewer": old.reviewer_id if old else None},
           after={"reviewer": new.reviewer_id, "tier": tier}, reason=reason)
    locked.version += 1
    locked.save(update_fields=["version"])
    transaction.on_commit(lambda: notify_assigned(locked, actor, {}))
    return new


@transaction.atomic
def dismiss_hint(*, actor, hint, reason: str) -> PrecheckHint:
    """The first reviewer (or the advisor office) dismisses a pre-review hint with a reason."""
    if actor is not None and not PrecheckHint.objects.visible_to(actor).filter(pk=hint.pk).exists():
        raise Http404("未找到该提示。")
    hint = PrecheckHint.objects.select_for_update(of=("self",)).select_related("item").get(pk=hint.pk)
    item = hint.item
    if actor is not None and not actor.has_role(Role.ADVISOR_OFFICE):
        if not Assignment.objects.filter(item=item, tier=Tier.FIRST, reviewer=actor).exists():
            raise PermissionDenied("只有初审律师或法律顾问室可以排除预审提示。")
    if hint.dismissed:
        from yifa.core.errors import IllegalTransition

        raise IllegalTransition("该提示已被排除。")
    if not (reason or "").strip():
        raise DomainError("请填写排除理由。", {"reason": ["必填"]})
    hint.dismissed, hint.dismiss_reason, hint.dismissed_by = True, reason.strip()[:300], actor
    hint.save()
    record(actor, "review.hint_dismiss", item, after={"hint": hint.pk, "rule": hint.rule_code}, reason=reason)
    category = hint_category(hint.rule_code)
    if category:  # a clause hint (not a missing procedure record): the clause is a labelled example
        example = PrecheckExample.objects.create(
            org=item.org, item=item, hint=hint, text=hint.quote, label=PrecheckCategory.NONE,
            dismissed_category=category, source=ExampleSource.DISMISSAL, reason=hint.dismiss_reason,
            created_by=actor, created_on=clock.today())
        record(actor, "review.precheck_example", example, after={"item": item.pk, "label": example.label,
                                                                  "dismissed_category": category,
                                                                  "source": example.source}, reason=reason)
    return hint


def hint_category(rule_code: str) -> str:
    """The corpus category a hint's rule code names (`permit.set`, `model.permit` → permit);
    "" for item-level checks (missing procedure records)."""
    head, _, tail = (rule_code or "").partition(".")
    category = tail if head == "model" else head
    return category if category in PrecheckCategory.values and category != PrecheckCategory.NONE else ""


def _normalise_quote(text: str) -> str:
    return "".join((text or "").split())


def may_add_finding(actor, item) -> bool:
    """A reviewer assigned to the item's current round (not recused), or the county's advisor
    office, while the item is under review."""
    if item.state not in OPEN_REVIEW_STATES:
        return False
    if actor.has_role(Role.ADVISOR_OFFICE) and item.org.path.startswith(county_root(actor).path):
        return True
    return Assignment.objects.filter(item=item, round=item.round, reviewer=actor, recused=False).exists()


@transaction.atomic
def add_precheck_finding(*, actor, item, category: str, quote: str, note: str) -> PrecheckExample:
    """A reviewer records a problem clause the assistant did not flag (category + the clause as
    it stands in this round's draft + a note). Stored as a labelled example for the corpus."""
    if not ReviewItem.objects.visible_to(actor).filter(pk=item.pk).exists():
        raise Http404("未找到该审查事项。")
    item = ReviewItem.objects.select_for_update(of=("self",)).select_related("org").get(pk=item.pk)
    if not may_add_finding(actor, item):
        raise PermissionDenied("只有本轮审查人或法律顾问室可以在审查中补充发现。")
    errors = {}
    if category not in PrecheckCategory.values or category == PrecheckCategory.NONE:
        errors["category"] = ["请选择问题类别。"]
    quote = (quote or "").strip()
    if not quote:
        errors["quote"] = ["请摘录有问题的条款原文。"]
    elif len(quote) > 1000:
        errors["quote"] = ["条款原文不超过1000字，请只摘录一个条款。"]
    elif _normalise_quote(quote) not in _normalise_quote(item.draft_text):
        errors["quote"] = ["摘录的条款不在本轮送审稿中，请从送审稿中复制原文。"]
    if not (note or "").strip():
        errors["note"] = ["请写明问题和理由。"]
    if errors:
        raise DomainError("补充发现不完整：" + "；".join(v[0] for v in errors.values()), errors)
    example = PrecheckExample.objects.create(
        org=item.org, item=item, text=quote, label=category, source=ExampleSource.REVIEWER_FINDING,
        reason=note.strip()[:300], created_by=actor, created_on=clock.today())
    record(actor, "review.precheck_example", example, after={"item": item.pk, "label": category,
                                                              "source": example.source}, reason=note)
    return example


@transaction.atomic
def record_adoption(*, actor, suggestion, adoption: str, reason: str = "", on=None) -> Suggestion:
    """The submitting unit answers a suggestion: 采纳 / 部分采纳 / 未采纳 (+ reason)."""
    if actor is not None and not Suggestion.objects.visible_to(actor).filter(pk=suggestion.pk).exists():
        raise Http404("未找到该建议。")
    s = Suggestion.objects.select_for_update(of=("self",)).select_related("opinion__item").get(pk=suggestion.pk)
    item = s.opinion.item
    if actor is not None:
        if not actor.has_role(*UNIT_ROLES) or not item.org.path.startswith(actor.scope_root.path):
            raise PermissionDenied("只有报送单位可以反馈采纳情况。")
    if item.state not in (ItemState.OPINION_ISSUED, ItemState.ADOPTION_RECORDED) or s.opinion.round != item.round:
        from yifa.core.errors import IllegalTransition

        raise IllegalTransition("只能对本轮已出具意见书的审查建议反馈采纳情况。")
    if s.disposition not in LIVE_DISPOSITIONS:
        from yifa.core.errors import IllegalTransition

        raise IllegalTransition(f"该建议已在{Tier(s.disposition_tier).label}中{s.get_disposition_display()}，"
                                "不在意见书中，无需反馈。")
    if adoption not in Adoption.values:
        raise DomainError("采纳情况应为 采纳 / 部分采纳 / 未采纳。", {"adoption": ["取值无效。"]})
    if adoption != Adoption.ADOPTED and not (reason or "").strip():
        raise DomainError("部分采纳或未采纳须说明理由。", {"reason": ["必填"]})
    before = {"adoption": s.adoption, "reason": s.adoption_reason}
    s.adoption, s.adoption_reason, s.answered_on = adoption, (reason or "").strip()[:300], _today(on)
    s.save()
    record(actor, "review.adoption", item, before=before,
           after={"suggestion": s.pk, "adoption": adoption, "reason": s.adoption_reason})
    ReviewItem.objects.filter(pk=item.pk).update(version=item.version + 1)
    return s


@transaction.atomic
def record_adoptions(*, actor, item, answers: dict, on=None) -> int:
    """The unit answers several suggestions of the 意见书 at once (`answers`: suggestion id →
    (adoption, reason); an empty adoption is left unanswered). All are checked first and
    every missing reason is named with its clause, so nothing is saved half-way."""
    suggestions = {s.pk: s for s in letter_suggestions(item)}
    chosen = [(suggestions[pk], adoption, (reason or "").strip()) for pk, (adoption, reason) in answers.items()
              if adoption and pk in suggestions]
    bad_value = [clause_text(s) for s, adoption, _ in chosen if adoption not in Adoption.values]
    if bad_value:
        raise DomainError("采纳情况应为 采纳 / 部分采纳 / 未采纳：" + "、".join(bad_value) + "。",
                          {"adoption": ["取值无效。"]})
    missing = [clause_text(s) for s, adoption, reason in chosen if adoption != Adoption.ADOPTED and not reason]
    if missing:
        raise DomainError("部分采纳或未采纳须说明理由，尚未填写：" + "、".join(missing) + "。", {"reason": ["必填"]})
    for s, adoption, reason in chosen:
        record_adoption(actor=actor, suggestion=s, adoption=adoption, reason=reason, on=on)
    return len(chosen)


# --- 合法性审查意见书 ------------------------------------------------------------------------------

def letter_suggestions(item):
    """The suggestions the 意见书 carries (and the unit answers): this round's standing ones."""
    rows = list(Suggestion.objects.live().filter(opinion__item=item, opinion__round=item.round)
                .select_related("opinion"))
    return sorted(rows, key=lambda s: (TIER_ORDER.index(s.opinion.tier), s.pk))


def clause_text(s) -> str:
    """“第二条：“……原文……””, the clause alone, the quote alone, or “总体意见”."""
    clause, quote = (s.clause or "").strip(), (s.quote or "").strip()
    if clause and quote and quote != clause:
        return f"{clause}：“{quote}”"
    if clause or quote:
        return clause or f"“{quote}”"
    return "总体意见"


def letter_content(item, *, on):
    from yifa.documents.content import Block, OfficialContent

    opinions = {o.tier: o for o in item.opinions.filter(round=item.round).select_related("reviewer")}
    final = opinions.get(Tier.FINAL)
    body = [Block("paragraph", f"你单位报送的《{item.title}》（{item.get_item_type_display()}，审查编号 {item.number}）"
                               f"已收悉。经坐班律师初审、专家律师复审、法律顾问室终审，现提出合法性审查意见如下：")]
    if final is not None:
        body += [Block("heading1", "一、主体权限"), Block("paragraph", final.authority),
                 Block("heading1", "二、程序"), Block("paragraph", final.procedure),
                 Block("heading1", "三、内容"), Block("paragraph", final.content)]
    # Each standing suggestion once (an earlier tier's suggestion that a later tier changed
    # or dropped is not repeated), with the clause it is about.
    rows = [["序号", "条款", "修改建议", "依据"]]
    for n, s in enumerate(letter_suggestions(item), start=1):
        rows.append([str(n), clause_text(s), s.suggestion, s.basis or "—"])
    body.append(Block("heading1", "四、修改建议"))
    body.append(Block("table", rows=rows) if len(rows) > 1 else Block("paragraph", "无。"))
    conclusion = final.get_conclusion_display() if final else "—"
    body.append(Block("heading1", "五、审查结论"))
    body.append(Block("paragraph", f"审查结论：{conclusion}。"))
    reviewers = "；".join(f"{Tier(t).label}：{opinions[t].reviewer.display_name}" for t in TIER_ORDER if t in opinions)
    body.append(Block("paragraph", f"审查人员：{reviewers}。"))
    body.append(Block("paragraph", "请你单位对上述建议逐条反馈采纳情况；未经合法性审查或者经审查不合法的，"
                                   "不得提交集体讨论或者印发。"))
    office = item.advisor_office or item.org.government()
    return OfficialContent(issuer=office.name, title=f"关于《{item.title}》的合法性审查意见书", body=body,
                           addressee=item.org.name, signature=office.name, date=on, issuer_red=False)


def issue_letter(item, *, actor, on):
    """Issue the numbered 合法性审查意见书 through the documents app."""
    try:
        from yifa.documents.services import issue_document
    except ImportError:  # pragma: no cover — the documents app ships with the platform
        return None
    office = item.advisor_office or item.org.government()
    return issue_document(actor=actor, org=office, doc_type="review_opinion_letter", owner=item,
                          content=letter_content(item, on=on))


# --- advisors ---------------------------------------------------------------------------------------

ADVISOR_FIELDS = ("name", "advisor_type", "firm", "license_no", "phone", "specialties", "county_team",
                  "contract_start", "contract_end", "status")


def _require_office(actor, org):
    if actor is None:
        return
    if not actor.has_role(Role.ADVISOR_OFFICE, Role.ADMIN):
        raise PermissionDenied("只有法律顾问室或系统管理员可以维护法律顾问。")
    if not org.path.startswith(_county_root(actor).path):
        raise PermissionDenied("该单位不在您的管理范围内。")


def _county_root(user):
    from .models import county_root

    return county_root(user)


def _validate_advisor(data):
    from .models import AdvisorType

    errors = {}
    if not str(data.get("name") or "").strip():
        errors["name"] = ["请填写姓名。"]
    if data.get("advisor_type") not in AdvisorType.values:
        errors["advisor_type"] = ["类型应为 执业律师 / 法学专家 / 公职律师。"]
    if data.get("status") and data["status"] not in AdvisorStatus.values:
        errors["status"] = ["状态无效。"]
    cs, ce = data.get("contract_start"), data.get("contract_end")
    if cs and ce and ce < cs:
        errors["contract_end"] = ["聘期结束日不能早于开始日。"]
    if errors:
        raise DomainError("法律顾问信息有误。", errors)


@transaction.atomic
def create_advisor(*, actor, org, user=None, **data) -> LegalAdvisor:
    _require_office(actor, org)
    data = {k: v for k, v in data.items() if k in ADVISOR_FIELDS}
    data.setdefault("status", AdvisorStatus.ACTIVE)
    _validate_advisor(data)
    advisor = LegalAdvisor.objects.create(org=org, user=user, **data)
    record(actor, "review.advisor_create", advisor, after={k: data.get(k) for k in ADVISOR_FIELDS})
    return advisor


@transaction.atomic
def update_advisor(*, actor, advisor, expected_version=None, **data) -> LegalAdvisor:
    locked = LegalAdvisor.objects.select_for_update(of=("self",)).get(pk=advisor.pk)
    _require_office(actor, locked.org)
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleVersion("该法律顾问信息已被他人修改，请刷新后重试。")
    before = {k: getattr(locked, k) for k in ADVISOR_FIELDS}
    if "org" in data and data["org"] is not None:
        _require_office(actor, data["org"])
        locked.org = data["org"]
    for k in ADVISOR_FIELDS:
        if k in data:
            setattr(locked, k, data[k])
    _validate_advisor({k: getattr(locked, k) for k in ADVISOR_FIELDS})
    locked.version += 1
    locked.save()
    record(actor, "review.advisor_update", locked, before=before, after={k: getattr(locked, k) for k in ADVISOR_FIELDS})
    return locked


@transaction.atomic
def set_duty(*, actor, advisor, day: date, note: str = "") -> DutyRota:
    _require_office(actor, advisor.org)
    if advisor.status != AdvisorStatus.ACTIVE:
        raise DomainError("只能安排在聘的法律顾问坐班。", {"advisor": ["该顾问不在聘。"]})
    office = _advisor_office_for(advisor.org) or advisor.org
    duty, created = DutyRota.objects.get_or_create(advisor=advisor, date=day, defaults={"org": office, "note": note})
    if created:
        record(actor, "review.duty_set", advisor, after={"date": day, "note": note})
    return duty


@transaction.atomic
def evaluate_advisor(*, actor, advisor, year: int, score, grade: str, renew: bool, comment: str = ""):
    from .models import EvaluationGrade

    _require_office(actor, advisor.org)
    if grade not in EvaluationGrade.values:
        raise DomainError("等次无效。", {"grade": ["等次无效。"]})
    if AdvisorEvaluation.objects.filter(advisor=advisor, year=year).exists():
        raise Conflict(f"{advisor.name} {year} 年度已有考评记录。")
    ev = AdvisorEvaluation.objects.create(org=advisor.org, advisor=advisor, year=year, score=score, grade=grade,
                                          renew=renew and grade != EvaluationGrade.INCOMPETENT, comment=comment)
    record(actor, "review.advisor_evaluate", advisor, after={"year": year, "score": score, "grade": grade,
                                                             "renew": ev.renew})
    return ev
