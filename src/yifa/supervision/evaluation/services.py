"""Writes of the case-file evaluation app: every one atomic, validated, audited.

Sampling is reproducible: each target unit's candidates (closed cases of the unit and the
units under it, closed within the campaign's period, in id order) are drawn with a
`random.Random` seeded by the campaign's recorded seed and the unit's code, so the same
seed over the same data draws the same files. Scores are computed by `compute_score`
(100 − deductions, never below 0; a veto item fails the file), which the demo loader
uses too."""

import math
import random
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction

from yifa.core import clock
from yifa.core.validation import check_version as _check_version, text_field as _text
from yifa.audit.services import record
from yifa.core.errors import DomainError
from yifa.orgs.models import Organization, Role, User

from .models import (FULL_SCORE, Campaign, CampaignEvaluator, CampaignState, CampaignTarget, Deduction,
                     EvaluationFile, FileState, QuotaKind, ScoringSheet, SheetItem, Suggestion, SuggestionState)

ORGANIZER_ROLES = (Role.SUPERVISOR, Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER)
SHEET_ROLES = (Role.ADMIN, Role.SUPERVISOR)
NOTICE_DOC_TYPE = "evaluation_notice"
MAX_SEED = 2**62


def can_organize(user) -> bool:
    return user is not None and user.is_authenticated and user.has_role(*ORGANIZER_ROLES)


def can_edit_sheets(user) -> bool:
    return user is not None and user.is_authenticated and user.has_role(*SHEET_ROLES)


def is_evaluator(user, campaign) -> bool:
    return user is not None and CampaignEvaluator.objects.filter(campaign=campaign, user_id=user.pk).exists()


def is_organiser(user, campaign) -> bool:
    if user is None or not can_organize(user):
        return False
    root = user.scope_root
    return root is not None and campaign.org.path.startswith(root.path)


def _require_organizer(actor, org, what="组织案卷评查"):
    if actor is None:
        return
    if not can_organize(actor):
        raise PermissionDenied(f"只有监督员、部门法制员或乡镇法制员可以{what}。")
    root = actor.scope_root
    if root is None or not org.path.startswith(root.path):
        raise PermissionDenied("该单位不在您的监督范围内。")


def _decimal(value, field, label) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(f"{label}应为数字。", {field: ["应为数字"]}) from None
    if not d.is_finite():
        raise DomainError(f"{label}应为数字。", {field: ["应为数字"]})
    return d


# --- scoring sheets ----------------------------------------------------------------------------

def _require_sheet_editor(actor):
    if actor is not None and not can_edit_sheets(actor):
        raise PermissionDenied("只有系统管理员或监督员可以维护评查标准。")


def _thresholds(excellent_min, pass_min):
    e = _decimal(excellent_min, "excellent_min", "优秀最低分")
    p = _decimal(pass_min, "pass_min", "合格最低分")
    if not (Decimal("0") <= p < e <= FULL_SCORE):
        raise DomainError("等次分数线应满足：0 ≤ 合格最低分 < 优秀最低分 ≤ 100。",
                          {"pass_min": ["须小于优秀最低分"], "excellent_min": ["须大于合格最低分且不超过 100"]})
    return e, p


def _sheet_snapshot(s):
    return {"name": s.name, "description": s.description, "excellent_min": s.excellent_min,
            "pass_min": s.pass_min, "is_active": s.is_active}


@transaction.atomic
def create_sheet(*, actor, name: str, excellent_min=Decimal("90"), pass_min=Decimal("70"), description: str = "",
                 copy_from: ScoringSheet | None = None) -> ScoringSheet:
    _require_sheet_editor(actor)
    name = _text(name, "name", "标准名称", 120)
    if ScoringSheet.objects.filter(name=name).exists():
        raise DomainError("已有同名评查标准。", {"name": ["名称已存在"]})
    e, p = _thresholds(excellent_min, pass_min)
    sheet = ScoringSheet.objects.create(name=name, description=_text(description, "description", "说明", 5000, False),
                                        excellent_min=e, pass_min=p)
    if copy_from is not None:
        SheetItem.objects.bulk_create([
            SheetItem(sheet=sheet, code=i.code, category=i.category, text=i.text, max_points=i.max_points,
                      is_veto=i.is_veto, check_code=i.check_code, sort_order=i.sort_order, is_active=i.is_active)
            for i in copy_from.items.all()])
    record(actor, "evaluation.sheet.create", sheet, after=_sheet_snapshot(sheet) | {
        "copy_from": copy_from.pk if copy_from else None})
    return sheet


@transaction.atomic
def update_sheet(*, actor, sheet: ScoringSheet, expected_version=None, **fields) -> ScoringSheet:
    _require_sheet_editor(actor)
    s = ScoringSheet.objects.select_for_update(of=("self",)).get(pk=sheet.pk)
    _check_version(s, expected_version)
    before = _sheet_snapshot(s)
    if "name" in fields:
        name = _text(fields["name"], "name", "标准名称", 120)
        if ScoringSheet.objects.filter(name=name).exclude(pk=s.pk).exists():
            raise DomainError("已有同名评查标准。", {"name": ["名称已存在"]})
        s.name = name
    if "description" in fields:
        s.description = _text(fields["description"], "description", "说明", 5000, False)
    if "excellent_min" in fields or "pass_min" in fields:
        s.excellent_min, s.pass_min = _thresholds(fields.get("excellent_min", s.excellent_min),
                                                  fields.get("pass_min", s.pass_min))
    if "is_active" in fields:
        s.is_active = bool(fields["is_active"])
    s.version += 1
    s.save()
    record(actor, "evaluation.sheet.update", s, before=before, after=_sheet_snapshot(s))
    return s


def _item_values(category, text, max_points, is_veto, check_code):
    from .checks import CHECKS
    from .models import Category

    if category not in Category.values:
        raise DomainError("类别无效。", {"category": ["应为立卷、实体、程序或文书"]})
    text = _text(text, "text", "评查内容", 300)
    points = _decimal(max_points if max_points not in (None, "") else 0, "max_points", "最高扣分")
    if is_veto:
        points = Decimal("0")
    elif not (Decimal("0") < points <= FULL_SCORE):
        raise DomainError("非否决项的最高扣分应大于 0 且不超过 100。", {"max_points": ["应大于 0 且不超过 100"]})
    if points != points.quantize(Decimal("0.1")):
        raise DomainError("最高扣分最多保留一位小数。", {"max_points": ["最多一位小数"]})
    check_code = (check_code or "").strip()
    if check_code and check_code not in CHECKS:
        raise DomainError("未知的客观项检查。", {"check_code": ["未知的检查"]})
    return category, text, points, bool(is_veto), check_code


@transaction.atomic
def add_item(*, actor, sheet: ScoringSheet, code: str, category: str, text: str, max_points=0,
             is_veto: bool = False, check_code: str = "", sort_order: int | None = None) -> SheetItem:
    _require_sheet_editor(actor)
    s = ScoringSheet.objects.select_for_update(of=("self",)).get(pk=sheet.pk)
    code = _text(code, "code", "编号", 12)
    if s.items.filter(code=code).exists():
        raise DomainError("该标准中已有相同编号的项目。", {"code": ["编号已存在"]})
    category, text, points, is_veto, check_code = _item_values(category, text, max_points, is_veto, check_code)
    if sort_order is None:
        last = s.items.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
        sort_order = last + 10
    item = SheetItem.objects.create(sheet=s, code=code, category=category, text=text, max_points=points,
                                    is_veto=is_veto, check_code=check_code, sort_order=max(0, int(sort_order)))
    s.version += 1
    s.save(update_fields=["version"])
    record(actor, "evaluation.sheet.item_add", s, after={"item": item.pk, "code": code, "category": category,
                                                         "text": text, "max_points": points, "is_veto": is_veto,
                                                         "check_code": check_code})
    return item


@transaction.atomic
def update_item(*, actor, item: SheetItem, expected_version=None, **fields) -> SheetItem:
    """Edit an item (the sheet's version guards concurrent edits). Files already scored keep
    the text, category and points they were scored with (snapshotted on the deduction)."""
    _require_sheet_editor(actor)
    s = ScoringSheet.objects.select_for_update(of=("self",)).get(pk=item.sheet_id)
    _check_version(s, expected_version)
    i = SheetItem.objects.get(pk=item.pk)
    before = {"code": i.code, "category": i.category, "text": i.text, "max_points": i.max_points,
              "is_veto": i.is_veto, "check_code": i.check_code, "is_active": i.is_active}
    values = _item_values(fields.get("category", i.category), fields.get("text", i.text),
                          fields.get("max_points", i.max_points), fields.get("is_veto", i.is_veto),
                          fields.get("check_code", i.check_code))
    i.category, i.text, i.max_points, i.is_veto, i.check_code = values
    if "is_active" in fields:
        i.is_active = bool(fields["is_active"])
    if fields.get("sort_order") is not None:
        i.sort_order = max(0, int(fields["sort_order"]))
    i.save()
    s.version += 1
    s.save(update_fields=["version"])
    after = {"code": i.code, "category": i.category, "text": i.text, "max_points": i.max_points,
             "is_veto": i.is_veto, "check_code": i.check_code, "is_active": i.is_active}
    record(actor, "evaluation.sheet.item_update", s, before={"item": i.pk, **before}, after={"item": i.pk, **after})
    return i


def default_sheet() -> ScoringSheet | None:
    return (ScoringSheet.objects.filter(is_active=True).order_by("-is_local_default", "name").first())


# --- campaigns ---------------------------------------------------------------------------------

@dataclass
class Quota:
    org: Organization
    kind: str
    value: object


def _quotas(actor, org, quotas) -> list[Quota]:
    quotas = list(quotas or [])
    if not quotas:
        raise DomainError("请至少选择一个被评查单位。", {"targets": ["至少一个被评查单位"]})
    root = org.scope_root()
    actor_root = actor.scope_root if actor is not None else root
    out, errors = [], []
    for q in quotas:
        if not isinstance(q, Quota):
            q = Quota(*q)
        if q.org is None:
            raise DomainError("被评查单位不存在。", {"targets": ["单位不存在"]})
        if not q.org.path.startswith(root.path) or (actor_root and not q.org.path.startswith(actor_root.path)):
            errors.append(f"{q.org.name}不在组织单位的监督范围内")
            continue
        if q.kind not in QuotaKind.values:
            raise DomainError("抽取方式无效。", {"targets": ["应为件数或百分比"]})
        value = _decimal(q.value, "targets", f"{q.org.name}的抽取数量")
        if q.kind == QuotaKind.COUNT:
            if value != value.to_integral_value() or not (1 <= value <= 10000):
                errors.append(f"{q.org.name}的抽取件数应为 1–10000 的整数")
                continue
        elif not (Decimal("0") < value <= Decimal("100")) or value != value.quantize(Decimal("0.01")):
            errors.append(f"{q.org.name}的抽取比例应大于 0% 且不超过 100%（最多两位小数）")
            continue
        out.append(Quota(q.org, q.kind, value))
    if errors:
        raise DomainError("被评查单位设置有误：" + "；".join(errors) + "。", {"targets": errors})
    paths = sorted((q.org.path, q.org.name) for q in out)
    for (p1, n1), (p2, n2) in zip(paths, paths[1:]):
        if p2.startswith(p1):
            raise DomainError(f"被评查单位重复或相互包含：{n1}、{n2}。", {"targets": ["单位重复或相互包含"]})
    return out


def _evaluators(actor, org, evaluators) -> list:
    evaluators = list(dict.fromkeys(evaluators or []))
    root = actor.scope_root if actor is not None else org.scope_root()
    bad = [u.display_name or u.username for u in evaluators
           if not u.is_active or root is None or not u.org.path.startswith(root.path)]
    if bad:
        raise DomainError("以下人员不能担任评查人员（不在您的范围内或已停用）：" + "、".join(bad),
                          {"evaluators": ["人员不在范围内"]})
    return evaluators


def _campaign_snapshot(c: Campaign) -> dict:
    return {"title": c.title, "description": c.description, "period_start": c.period_start,
            "period_end": c.period_end, "sheet": c.sheet_id, "state": c.state, "seed": c.seed,
            "targets": [[t.org_id, t.quota_kind, str(t.quota_value)] for t in c.targets.order_by("org__path")],
            "evaluators": sorted(c.evaluator_links.values_list("user_id", flat=True))}


def _period(period_start, period_end):
    if not period_start or not period_end:
        raise DomainError("请填写案件结案期间。", {"period_start": ["必填"], "period_end": ["必填"]})
    if period_end < period_start:
        raise DomainError("结案期间的截止日期不能早于起始日期。", {"period_end": ["不能早于起始日期"]})
    return period_start, period_end


def _set_targets(campaign, quotas):
    campaign.targets.all().delete()
    CampaignTarget.objects.bulk_create([CampaignTarget(campaign=campaign, org=q.org, quota_kind=q.kind,
                                                       quota_value=q.value) for q in quotas])


def _set_evaluators(campaign, evaluators):
    CampaignEvaluator.objects.filter(campaign=campaign).exclude(user__in=evaluators).delete()
    have = set(CampaignEvaluator.objects.filter(campaign=campaign).values_list("user_id", flat=True))
    CampaignEvaluator.objects.bulk_create([CampaignEvaluator(campaign=campaign, user=u) for u in evaluators
                                           if u.pk not in have])


@transaction.atomic
def create_campaign(*, actor, org: Organization, title: str, period_start: date, period_end: date,
                    targets, evaluators=(), sheet: ScoringSheet | None = None, description: str = "") -> Campaign:
    """A draft campaign of `org` over `targets` (quotas: `Quota(org, "count"|"percent", value)`
    or `(org, kind, value)` tuples) within the organising unit's scope."""
    if org is None:
        raise DomainError("请指定组织单位。", {"org": ["必填"]})
    _require_organizer(actor, org)
    title = _text(title, "title", "活动名称", 200)
    period_start, period_end = _period(period_start, period_end)
    sheet = sheet or default_sheet()
    if sheet is None or not sheet.is_active:
        raise DomainError("请选择启用中的评查标准。", {"sheet": ["评查标准未启用"]})
    quotas = _quotas(actor, org, targets)
    evaluators = _evaluators(actor, org, evaluators)
    c = Campaign.objects.create(org=org, title=title, period_start=period_start, period_end=period_end, sheet=sheet,
                                description=_text(description, "description", "评查方案", 20000, False),
                                created_by=actor)
    _set_targets(c, quotas)
    _set_evaluators(c, evaluators)
    record(actor, "evaluation.campaign.create", c, after=_campaign_snapshot(c))
    return c


def _lock_campaign(campaign) -> Campaign:
    return Campaign.objects.select_for_update(of=("self",)).select_related("org", "sheet").get(pk=campaign.pk)


@transaction.atomic
def update_campaign(*, actor, campaign: Campaign, expected_version=None, **fields) -> Campaign:
    """Edit a campaign. Title, plan and evaluators can change until it is concluded; the
    period, sheet and target units only while it is a draft (they decide the sample)."""
    c = _lock_campaign(campaign)
    _require_organizer(actor, c.org, "修改评查活动")
    _check_version(c, expected_version)
    if c.state == CampaignState.CONCLUDED:
        raise DomainError("评查活动已结束，不能再修改。")
    before = _campaign_snapshot(c)
    sampling = {"period_start", "period_end", "sheet", "targets"} & {k for k, v in fields.items() if v is not None}
    if sampling and c.state != CampaignState.DRAFT:
        raise DomainError("已抽样的评查活动不能修改结案期间、评查标准或被评查单位。",
                          {k: ["已抽样后不能修改"] for k in sampling})
    if fields.get("title") is not None:
        c.title = _text(fields["title"], "title", "活动名称", 200)
    if fields.get("description") is not None:
        c.description = _text(fields["description"], "description", "评查方案", 20000, False)
    if fields.get("period_start") is not None or fields.get("period_end") is not None:
        c.period_start, c.period_end = _period(fields.get("period_start") or c.period_start,
                                               fields.get("period_end") or c.period_end)
    if fields.get("sheet") is not None:
        if not fields["sheet"].is_active:
            raise DomainError("请选择启用中的评查标准。", {"sheet": ["评查标准未启用"]})
        c.sheet = fields["sheet"]
    if fields.get("targets") is not None:
        _set_targets(c, _quotas(actor, c.org, fields["targets"]))
    if fields.get("evaluators") is not None:
        _set_evaluators(c, _evaluators(actor, c.org, fields["evaluators"]))
    c.version += 1
    c.save()
    record(actor, "evaluation.campaign.update", c, before=before, after=_campaign_snapshot(c))
    return c


def quota_count(kind: str, value, available: int) -> int:
    """Files to draw for a quota: a count as given; a percentage rounded up."""
    if kind == QuotaKind.PERCENT:
        return min(available, math.ceil(Decimal(available) * Decimal(value) / 100)) if available else 0
    return int(value)


def candidate_ids(campaign, target) -> list[int]:
    """Closed cases of the target unit (and the units under it) closed within the period."""
    from yifa.enforcement.models import Case
    from yifa.enforcement.workflows import TERMINAL_STATES

    return list(Case.objects.filter(state__in=TERMINAL_STATES, closed_on__gte=campaign.period_start,
                                    closed_on__lte=campaign.period_end, org__path__startswith=target.org.path)
                .order_by("pk").values_list("pk", flat=True))


def draw(seed: int, unit_code: str, ids: list[int], n: int) -> list[int]:
    """The reproducible draw: the same seed, unit and candidates give the same ids."""
    rng = random.Random(f"yifa-evaluation:{seed}:{unit_code}")
    return sorted(rng.sample(ids, n))


def plan_sample(campaign, seed: int) -> list[tuple[CampaignTarget, int, list[int]]]:
    """(target, available, drawn case ids) per target; refuses quotas above what is available."""
    plan, short = [], []
    for t in campaign.targets.select_related("org").order_by("org__path"):
        ids = candidate_ids(campaign, t)
        n = quota_count(t.quota_kind, t.quota_value, len(ids))
        if t.quota_kind == QuotaKind.COUNT and n > len(ids):
            short.append(f"{t.org.name}：拟抽取 {n} 件，但 {campaign.period_start:%Y-%m-%d} 至 "
                         f"{campaign.period_end:%Y-%m-%d} 期间结案的案件只有 {len(ids)} 件")
            continue
        if n == 0:
            short.append(f"{t.org.name}：{campaign.period_start:%Y-%m-%d} 至 {campaign.period_end:%Y-%m-%d} "
                         "期间没有结案案件")
            continue
        plan.append((t, len(ids), draw(seed, t.org.code, ids, n)))
    if short:
        raise DomainError("抽取数量超过可抽取的结案案件数，未抽样：" + "；".join(short) + "。请调整抽取数量或结案期间。",
                          {"targets": short})
    return plan


def build_files(campaign, plan, evaluator_ids) -> list[EvaluationFile]:
    """Unsaved files for a sampling plan, evaluators assigned in turn."""
    files, seq = [], 0
    for t, _available, ids in plan:
        for case_id in ids:
            seq += 1
            ev = evaluator_ids[(seq - 1) % len(evaluator_ids)] if evaluator_ids else None
            files.append(EvaluationFile(campaign=campaign, org_id=t.org_id, case_id=case_id, seq=seq,
                                        evaluator_id=ev))
    return files


def build_suggestions(campaign, files) -> list[Suggestion]:
    """Unsaved suggestions: the sheet's objective items whose check fires on the file's case."""
    from . import checks

    by_check = {}
    for item in campaign.sheet.items.filter(is_active=True).exclude(check_code=""):
        by_check.setdefault(item.check_code, item)
    if not by_check:
        return []
    found = checks.compute([f.case_id for f in files])
    out = []
    for f in files:
        for code, detail in found.get(f.case_id, []):
            item = by_check.get(code)
            if item is not None:
                out.append(Suggestion(file=f, item=item, check_code=code, detail=detail[:500]))
    return out


def sample_effect(campaign, actor, payload):
    """The sampling itself (inside the transition's transaction): replaces any earlier sample."""
    seed = payload.get("seed")
    if seed is None:
        seed = secrets.randbelow(10**8)
    campaign.files.all().delete()
    plan = plan_sample(campaign, seed)
    evaluators = sorted(campaign.evaluator_links.values_list("user_id", flat=True))
    files = build_files(campaign, plan, evaluators)
    EvaluationFile.objects.bulk_create(files, batch_size=500)
    Suggestion.objects.bulk_create(build_suggestions(campaign, files), batch_size=500)
    for t, available, ids in plan:
        t.available, t.sampled = available, len(ids)
    CampaignTarget.objects.bulk_update([t for t, _a, _i in plan], ["available", "sampled"])
    campaign.seed = seed
    campaign.sampled_on = payload.get("on") or clock.today()
    campaign.save(update_fields=["seed", "sampled_on"])
    record(actor, "evaluation.campaign.sampled", campaign,
           after={"seed": seed, "files": len(files), "per_unit": {t.org_id: len(ids) for t, _a, ids in plan}})


def _seed(seed):
    if seed in (None, ""):
        return None
    try:
        seed = int(seed)
    except (TypeError, ValueError):
        raise DomainError("随机种子应为整数。", {"seed": ["应为整数"]}) from None
    if not (0 <= seed < MAX_SEED):
        raise DomainError("随机种子超出范围。", {"seed": [f"应为 0 至 {MAX_SEED - 1} 的整数"]})
    return seed


def sample(*, actor, campaign: Campaign, seed=None, on: date | None = None, expected_version=None) -> Campaign:
    """Draw (or re-draw, before scoring starts) the campaign's files. Without a seed a random
    one is chosen and recorded; re-running with the same seed draws the same files."""
    from yifa.core.workflows import transition

    from .workflows import CAMPAIGN

    action = "resample" if campaign.state == CampaignState.SAMPLED else "sample"
    return transition(campaign, action, actor=actor, workflow=CAMPAIGN, on=on, expected_version=expected_version,
                      payload={"seed": _seed(seed), "on": on})


def campaign_transition(*, actor, campaign: Campaign, action: str, reason: str = "", on: date | None = None,
                        expected_version=None, seed=None) -> Campaign:
    from yifa.core.workflows import transition

    from .workflows import CAMPAIGN

    if action in ("sample", "resample"):
        return sample(actor=actor, campaign=campaign, seed=seed, on=on, expected_version=expected_version)
    return transition(campaign, action, actor=actor, workflow=CAMPAIGN, reason=reason, on=on,
                      expected_version=expected_version, payload={"on": on})


def campaign_concluded_effect(campaign, actor, payload):
    campaign.concluded_on = payload.get("on") or clock.today()
    campaign.save(update_fields=["concluded_on"])


def notify_evaluators(campaign, actor, payload):
    from yifa.core.services import notify

    users = list(User.objects.filter(pk__in=campaign.evaluator_links.values("user_id"), is_active=True))
    notify(recipients=users, title=f"案卷评查：{campaign.title}已开始评分",
           body=f"共 {campaign.files.count()} 份案卷，请登录评分。", url=f"/supervision/evaluation/campaigns/{campaign.pk}/",
           dedupe_key=f"evaluation.campaign.{campaign.pk}.start")


# --- scoring -----------------------------------------------------------------------------------

@dataclass
class Score:
    deducted: Decimal
    score: Decimal
    veto: bool
    grade: str
    problems: int


def compute_score(sheet: ScoringSheet, deductions) -> Score:
    """`deductions`: iterable of objects/dicts with `points` and `is_veto`. Total = 100 −
    deductions, never below 0; any veto item grades the file 不合格 whatever the score."""
    rows = [d if isinstance(d, dict) else {"points": d.points, "is_veto": d.is_veto} for d in deductions]
    deducted = sum((Decimal(r["points"]) for r in rows), Decimal("0"))
    score = max(Decimal("0"), FULL_SCORE - deducted)
    veto = any(r["is_veto"] for r in rows)
    return Score(deducted=deducted, score=score, veto=veto, grade=sheet.grade_for(score, veto), problems=len(rows))


def _lock_file(file) -> EvaluationFile:
    return (EvaluationFile.objects.select_for_update(of=("self",)).select_related("campaign", "campaign__sheet", "campaign__org",
                                                                      "org", "case").get(pk=file.pk))


def _file_snapshot(f) -> dict:
    return {"state": f.state, "score": f.score, "deducted": f.deducted, "veto": f.veto, "grade": f.grade,
            "problems": f.problem_count, "note": f.note,
            "deductions": [[d.item.code if d.item_id else "", str(d.points), d.note]
                           for d in f.deductions.select_related("item")]}


def _require_evaluator(actor, campaign):
    if actor is not None and not is_evaluator(actor, campaign):
        raise PermissionDenied("只有本次评查活动的评查人员可以评分。")


@transaction.atomic
def score_file(*, actor, file: EvaluationFile, deductions=(), decisions=(), note: str = "", submit: bool = False,
               on: date | None = None, expected_version=None) -> EvaluationFile:
    """Save the evaluator's scoring of a file; with `submit` the file is graded.

    `deductions`: [{"item": id, "points": n, "note": ""}] — the whole problem list (it
    replaces the saved one); a veto item carries no points. `decisions`: [{"suggestion":
    id, "decision": "confirm"|"reject"|"pending", "reason": ""}]; a confirmed suggestion
    whose item is not in `deductions` is added with the item's maximum points. Every
    suggestion must be confirmed or rejected before submitting."""
    f = _lock_file(file)
    c = f.campaign
    _require_evaluator(actor, c)
    _check_version(f, expected_version)
    if c.state != CampaignState.SCORING:
        raise DomainError(f"评查活动当前状态为“{c.get_state_display()}”，不能评分。")
    if f.state == FileState.SUBMITTED:
        raise DomainError("该案卷已评定；如需修改，请先退回重评。")
    note = _text(note, "note", "评查意见", 5000, False)
    used = set(f.deductions.values_list("item_id", flat=True))
    items = {i.pk: i for i in c.sheet.items.all() if i.is_active or i.pk in used}
    rows, errors = {}, {}
    for d in deductions or ():
        try:
            item_id = int(d.get("item"))
        except (TypeError, ValueError):
            item_id = None
        item = items.get(item_id)
        if item is None:
            raise DomainError("评查项目不属于本次评查标准。", {"deductions": ["未知的评查项目"]})
        if item_id in rows:
            raise DomainError(f"评查项目“{item.code}”重复。", {"deductions": ["项目重复"]})
        text_note = _text(d.get("note", ""), "deductions", "问题说明", 500, False)
        if item.is_veto:
            points = Decimal("0")
        else:
            points = _decimal(d.get("points"), "deductions", f"“{item.code}”的扣分")
            if not (Decimal("0") < points <= item.max_points):
                errors[item.code] = f"“{item.code} {item.text}”的扣分应大于 0 且不超过 {item.max_points} 分"
                continue
            if points != points.quantize(Decimal("0.1")):
                errors[item.code] = f"“{item.code}”的扣分最多保留一位小数"
                continue
        rows[item_id] = {"item": item, "points": points, "note": text_note, "source": "manual"}
    if errors:
        raise DomainError("扣分有误：" + "；".join(errors.values()) + "。", {"deductions": list(errors.values())})
    suggestions = {s.pk: s for s in f.suggestions.select_related("item")}
    for d in decisions or ():
        try:
            s = suggestions.get(int(d.get("suggestion")))
        except (TypeError, ValueError):
            s = None
        if s is None:
            raise DomainError("客观项建议不属于该案卷。", {"decisions": ["未知的建议"]})
        decision = d.get("decision")
        if decision not in ("confirm", "reject", "pending"):
            raise DomainError("请选择确认或排除。", {"decisions": ["应为 confirm / reject / pending"]})
        if decision == "reject":
            reason = _text(d.get("reason", ""), "decisions", f"排除“{s.item.code}”的理由", 300)
            s.state, s.reason = SuggestionState.REJECTED, reason
        elif decision == "confirm":
            s.state, s.reason = SuggestionState.CONFIRMED, ""
        else:
            s.state, s.reason = SuggestionState.PENDING, ""
    for s in suggestions.values():
        if s.state == SuggestionState.CONFIRMED:
            row = rows.setdefault(s.item_id, {"item": s.item, "points": s.item.max_points, "note": s.detail[:500]})
            row["source"] = "suggested"
    Suggestion.objects.bulk_update(list(suggestions.values()), ["state", "reason"])
    before = _file_snapshot(f)
    f.deductions.all().delete()
    Deduction.objects.bulk_create([
        Deduction(file=f, item=r["item"], category=r["item"].category, item_text=r["item"].text,
                  is_veto=r["item"].is_veto, points=r["points"], note=r["note"], source=r.get("source", "manual"))
        for r in rows.values()])
    result = compute_score(c.sheet, [{"points": r["points"], "is_veto": r["item"].is_veto} for r in rows.values()])
    f.deducted, f.score, f.veto, f.problem_count = result.deducted, result.score, result.veto, result.problems
    f.note, f.scored_by = note, actor
    action = "evaluation.file.save"
    if submit:
        pending = [s.item.code for s in suggestions.values() if s.state == SuggestionState.PENDING]
        if pending:
            raise DomainError(f"尚有 {len(pending)} 项客观项建议（{'、'.join(pending)}）未确认或排除，不能提交。",
                              {"decisions": ["请逐项确认或排除"]})
        f.state, f.grade, f.submitted_on = FileState.SUBMITTED, result.grade, on or clock.today()
        action = "evaluation.file.submit"
    f.version += 1
    f.save()
    record(actor, action, f, before=before, after=_file_snapshot(f))
    return f


@transaction.atomic
def reopen_file(*, actor, file: EvaluationFile, reason: str, expected_version=None) -> EvaluationFile:
    """Send a graded file back for re-scoring while the campaign is still scoring."""
    f = _lock_file(file)
    c = f.campaign
    if actor is not None and not (is_evaluator(actor, c) or is_organiser(actor, c)):
        raise PermissionDenied("只有评查人员或组织单位可以退回重评。")
    _check_version(f, expected_version)
    if c.state != CampaignState.SCORING or f.state != FileState.SUBMITTED:
        raise DomainError("只有评分阶段已评定的案卷可以退回重评。")
    reason = _text(reason, "reason", "退回理由", 300)
    before = _file_snapshot(f)
    f.state, f.grade, f.submitted_on = FileState.PENDING, "", None
    f.version += 1
    f.save()
    record(actor, "evaluation.file.reopen", f, before=before, after=_file_snapshot(f), reason=reason)
    return f


# --- the notice (案卷评查通报) ------------------------------------------------------------------

def _fmt(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.1'))}"


def notice_content(campaign, on):
    from yifa.documents.content import Block, OfficialContent, chinese_date

    from . import selectors
    from .models import Category

    res = selectors.campaign_results(campaign)
    t = res["totals"]
    body = [Block("paragraph",
                  f"根据行政执法案卷评查工作安排，{campaign.org.name}组织开展了“{campaign.title}”，"
                  f"对 {len(res['rows'])} 个单位 {chinese_date(campaign.period_start)} 至 "
                  f"{chinese_date(campaign.period_end)} 期间办结的行政执法案卷进行了随机抽查评查"
                  f"（随机种子 {campaign.seed}）。现将评查情况通报如下。")]
    body.append(Block("heading1", "一、总体情况"))
    body.append(Block("paragraph",
                      f"本次共评查案卷 {t['evaluated']} 份，平均得分 {_fmt(t['average'])} 分。其中优秀 {t['excellent']} 份、"
                      f"合格 {t['pass']} 份、不合格 {t['fail']} 份；共发现问题 {t['problems']} 个，其中" +
                      "、".join(f"{label}类 {t['by_category'].get(code, 0)} 个" for code, label in Category.choices)
                      + "。"))
    body.append(Block("heading1", "二、各单位评查结果"))
    body.append(Block("table", rows=[["单位", "评查案卷", "平均得分", "优秀", "合格", "不合格", "发现问题"]] + [
        [r["org_name"], str(r["evaluated"]), _fmt(r["average"]), str(r["excellent"]), str(r["pass"]), str(r["fail"]),
         str(r["problems"])] for r in res["rows"]]))
    body.append(Block("heading1", "三、存在的主要问题"))
    common = selectors.common_problems(campaign, limit=10)
    if common:
        body.append(Block("list", items=[f"{p['item_text']}（{p['category_label']}，{p['count']} 份案卷）"
                                         for p in common]))
    else:
        body.append(Block("paragraph", "本次评查未发现问题。"))
    failed = [r for r in res["rows"] if r["fail"]]
    body.append(Block("heading1", "四、工作要求"))
    body.append(Block("paragraph",
                      "各单位要对照评查发现的问题逐案逐项整改，健全案卷制作、归档和内部审核制度"
                      + (f"；评查结果为不合格的单位（{'、'.join(r['org_name'] for r in failed)}）要深入分析原因，"
                         "于通报印发之日起30日内将整改情况书面报送" + campaign.org.name if failed else "")
                      + "。"))
    return OfficialContent(issuer=campaign.org.name, title=f"关于{campaign.title}情况的通报", body=body,
                           addressee="各被评查单位", signature=campaign.org.name, date=on)


@transaction.atomic
def issue_notice(*, actor, campaign: Campaign, on: date | None = None, expected_version=None) -> Campaign:
    """Issue the 案卷评查通报 of a concluded campaign (numbered docx/pdf) with the computed figures."""
    from yifa.documents.services import issue_document

    c = _lock_campaign(campaign)
    _require_organizer(actor, c.org, "印发评查通报")
    _check_version(c, expected_version)
    if c.state != CampaignState.CONCLUDED:
        raise DomainError("评查活动结束后才能印发评查通报。")
    if c.notice_id:
        raise DomainError(f"评查通报已印发（{c.notice_number}）。")
    on = on or clock.today()
    doc = issue_document(actor=actor, org=c.org, doc_type=NOTICE_DOC_TYPE, owner=c, content=notice_content(c, on))
    c.notice, c.notice_number = doc, doc.doc_number
    c.version += 1
    c.save()
    record(actor, "evaluation.campaign.notice", c, after={"doc_number": doc.doc_number, "document": doc.pk})
    recipients = _target_legal_officers(c)
    transaction.on_commit(lambda: _notify_notice(c, recipients))
    return c


def _target_legal_officers(campaign) -> list:
    from django.db.models import Q

    q = Q(pk__in=[])
    for path in campaign.targets.values_list("org__path", flat=True):
        q |= Q(org__path__startswith=path)
    return list(User.objects.filter(q, is_active=True, role_assignments__role__in=(
        Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER)).distinct())


def _notify_notice(campaign, recipients):
    from yifa.core.services import notify

    notify(recipients=recipients, title=f"案卷评查通报 {campaign.notice_number} 已印发",
           body=f"{campaign.title}：请查阅本单位评查结果并对照整改。",
           url=f"/supervision/evaluation/files/?campaign={campaign.pk}", dedupe_key=f"evaluation.campaign.{campaign.pk}.notice")
