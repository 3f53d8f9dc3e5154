"""Writes of the supervision app: every one atomic, validated, audited."""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from yifa.core import clock
from yifa.core.validation import check_version as _check_version, text_field
from yifa.audit.services import record
from yifa.core.errors import DomainError, IllegalTransition
from yifa.deadlines import services as deadline_services
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.deadlines.words import due_clause, due_text
from yifa.orgs.models import Organization, Role

from .models import (DECISION_ISSUER_KINDS, RECTIFICATION_RULE, DecisionKind, Finding, FindingCategory, FindingSource,
                     FindingState, Inspection, InspectionKind, ReportResult)

SUPERVISING_ROLES = (Role.SUPERVISOR, Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER)


def can_supervise(user) -> bool:
    return user is not None and user.is_authenticated and user.has_role(*SUPERVISING_ROLES)


def _require_supervisor(actor, org, what="开展监督"):
    """`actor` (None = system) must hold a supervising role and `org` must lie in its scope."""
    if actor is None:
        return
    if not can_supervise(actor):
        raise PermissionDenied(f"只有监督员、部门法制员或乡镇法制员可以{what}。")
    root = actor.scope_root
    if root is None or not org.path.startswith(root.path):
        raise PermissionDenied("该单位不在您的监督范围内。")


def _in_scope(actor, obj):
    if actor is None:
        return
    root = actor.scope_root
    if root is None or not obj.org.path.startswith(root.path):
        raise PermissionDenied("该记录不在您的管理范围内。")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _text(value, field, label, max_len=None, required=True):
    if _CONTROL.search(value or ""):
        raise DomainError(f"{label}含有无法写入公文的控制字符，请删除后重试。", {field: ["含有控制字符"]})
    return text_field(value, field, label, max_len, required)


def _inspection_snapshot(i: Inspection) -> dict:
    return {"kind": i.kind, "title": i.title, "plan": i.plan, "team": i.team, "period_start": i.period_start,
            "period_end": i.period_end, "checklist": i.checklist, "joint_bodies": i.joint_bodies,
            "targets": sorted(i.targets.values_list("pk", flat=True)) if i.pk else []}


@transaction.atomic
def create_inspection(*, actor, org: Organization, kind: str, title: str, period_start: date, period_end: date,
                      targets=(), plan: str = "", team: str = "", checklist: str = "",
                      joint_bodies: str = "", sector=None) -> Inspection:
    """Plan a routine or special inspection organised by `org` over `targets` (units in the
    organiser's scope)."""
    if org is None:
        raise DomainError("请指定组织单位。", {"org": ["必填"]})
    _require_supervisor(actor, org, "组织监督检查")
    if kind not in InspectionKind.values:
        raise DomainError("检查类型无效。", {"kind": ["应为日常检查或专项检查"]})
    title = _text(title, "title", "检查名称", 200)
    if not period_start or not period_end:
        raise DomainError("请填写检查期间。", {"period_start": ["必填"], "period_end": ["必填"]})
    if period_end < period_start:
        raise DomainError("检查结束日期不能早于开始日期。", {"period_end": ["不能早于开始日期"]})
    targets = list(targets or [])
    root = actor.scope_root if actor is not None else org
    outside = [t.name for t in targets if not t.path.startswith(root.path)]
    if outside:
        raise DomainError("检查对象不在您的监督范围内：" + "、".join(outside), {"targets": ["不在监督范围内"]})
    insp = Inspection.objects.create(
        org=org, kind=kind, title=title, plan=_text(plan, "plan", "检查方案", 20000, False),
        team=_text(team, "team", "检查组成员", 2000, False), period_start=period_start, period_end=period_end,
        checklist=_text(checklist, "checklist", "检查清单", 20000, False),
        joint_bodies=_text(joint_bodies, "joint_bodies", "联合检查单位", 300, False), created_by=actor,
        sector=_sector(sector))
    insp.targets.set(targets)
    record(actor, "supervision.inspection.create", insp, after=_inspection_snapshot(insp))
    return insp


def _sector(value):
    """An active 执法领域 (a Sector or its id), or None when not given."""
    from yifa.enforcement.models import Sector

    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Sector) else value
    try:
        return Sector.objects.get(pk=int(pk), is_active=True)
    except (Sector.DoesNotExist, TypeError, ValueError):
        raise DomainError("执法领域无效或已停用。", {"sector": ["请选择启用中的执法领域"]}) from None


def _finding_snapshot(f: Finding) -> dict:
    return {"category": f.category, "source": f.source, "description": f.description, "state": f.state,
            "raised_on": f.raised_on, "due": f.due, "evidence": f.evidence, "corrected_on": f.corrected_on,
            "verified_on": f.verified_on, "inspection": f.inspection_id, "sector": f.sector_id}


def start_rectification_deadline(*, actor, owner, org, start: date, title: str):
    """Start `supervision.rectification` for `owner` (provisional when it reaches a year
    whose holiday notice is not entered yet: never refused)."""
    return deadline_services.start_deadline(actor=None, owner=owner, rule_code=RECTIFICATION_RULE,
                                            start=start, org=org, title=title[:200])


@transaction.atomic
def raise_finding(*, actor, org: Organization, category: str, description: str, source: str = "administrative",
                  on: date | None = None, inspection: Inspection | None = None, sector=None) -> Finding:
    """Record a problem of the supervised unit `org` and start its correction deadline. Its
    sector (执法领域) defaults to the inspection's."""
    if org is None:
        raise DomainError("请指定被监督单位。", {"org": ["必填"]})
    _require_supervisor(actor, org, "登记监督发现的问题")
    if category not in FindingCategory.values:
        raise DomainError("问题类别无效。", {"category": ["无效的类别"]})
    if source not in FindingSource.values:
        raise DomainError("监督来源无效。", {"source": ["应为六大监督之一"]})
    description = _text(description, "description", "问题描述", 5000)
    on = on or clock.today()
    if inspection is not None:
        _in_scope(actor, inspection)
    issuer = actor.org if actor is not None else (inspection.org if inspection is not None else None)
    sector = _sector(sector)
    if sector is None and inspection is not None:
        sector = inspection.sector
    finding = Finding.objects.create(org=org, inspection=inspection, category=category, source=source,
                                     description=description, raised_on=on, raised_by=actor, issuer=issuer,
                                     sector=sector)
    d = start_rectification_deadline(actor=actor, owner=finding, org=org, start=on,
                                     title=f"整改：{description[:60]}")
    finding.due, finding.due_provisional = d.due, d.provisional
    finding.save(update_fields=["due", "due_provisional"])
    record(actor, "supervision.finding.raise", finding, after=_finding_snapshot(finding))
    return finding


def _lock_finding(finding) -> Finding:
    return Finding.objects.select_for_update(of=("self",)).select_related("org").get(pk=finding.pk)


def _open_deadline(owner):
    from yifa.deadlines.models import ACTIVE_STATES, DeadlineState

    states = set(ACTIVE_STATES) | {DeadlineState.SUSPENDED}
    return next((d for d in deadlines_for_owner(owner) if d.rule.code == RECTIFICATION_RULE and d.state in states),
                None)


@transaction.atomic
def correct_finding(*, actor, finding: Finding, evidence: str, on: date | None = None,
                    expected_version=None) -> Finding:
    """The supervised unit reports the problem corrected, with evidence; the deadline closes."""
    f = _lock_finding(finding)
    _in_scope(actor, f)
    _check_version(f, expected_version)
    if f.state != FindingState.OPEN:
        raise DomainError(f"该问题当前状态为“{f.get_state_display()}”，不能再报告整改。")
    evidence = _text(evidence, "evidence", "整改情况及佐证材料说明", 10000)
    on = on or clock.today()
    if on < f.raised_on:
        raise DomainError("整改完成日期不能早于发现日期。", {"on": ["不能早于发现日期"]})
    before = _finding_snapshot(f)
    f.state, f.evidence, f.corrected_on, f.corrected_by = FindingState.CORRECTED, evidence, on, actor
    f.version += 1
    f.save()
    d = _open_deadline(f)
    if d is not None:
        deadline_services.close_deadline(actor=None, deadline=d, met_on=on)
    record(actor, "supervision.finding.correct", f, before=before, after=_finding_snapshot(f))
    return f


@transaction.atomic
def finding_issuer(f: Finding):
    """The unit on whose side a finding's correction is verified: its issuer; for findings
    recorded without one, the unit of who raised it or of the inspection; failing all,
    the county (government) level above the supervised unit."""
    if f.issuer_id:
        return f.issuer
    if f.raised_by_id and f.raised_by.org_id:
        return f.raised_by.org
    if f.inspection_id:
        return f.inspection.org
    return f.org.government()


def verify_finding(*, actor, finding: Finding, on: date | None = None, expected_version=None) -> Finding:
    """The issuing side (never the supervised unit) confirms the correction."""
    from yifa.core.workflows import require_issuer_side

    f = _lock_finding(finding)
    _require_supervisor(actor, f.org, "核验整改")
    require_issuer_side(actor, finding_issuer(f), "核验整改")
    if actor is not None and f.corrected_by_id == actor.pk:
        raise PermissionDenied("整改报告人不能核验本人报告的整改。")
    _check_version(f, expected_version)
    if f.state != FindingState.CORRECTED:
        raise DomainError(f"该问题当前状态为“{f.get_state_display()}”，只有已整改的问题才能核验。")
    on = on or clock.today()
    if f.corrected_on and on < f.corrected_on:
        raise DomainError("核验日期不能早于整改完成日期。", {"on": ["不能早于整改完成日期"]})
    before = _finding_snapshot(f)
    f.state, f.verified_on, f.verified_by = FindingState.VERIFIED, on, actor
    f.version += 1
    f.save()
    record(actor, "supervision.finding.verify", f, before=before, after=_finding_snapshot(f))
    return f


# --- online supervision (线上监督) ------------------------------------------------------------

def _clue_snapshot(c) -> dict:
    out = {"rule_code": c.rule_code, "case": c.case_id, "state": c.state, "finding": c.finding_id,
           "dismiss_reason": c.dismiss_reason, "handled_on": c.handled_on}
    if c.case_id is None:
        out.update(subject_type=c.subject_type, subject_id=c.subject_id, period=c.period)
    return out


def _disabled_q(rule_code):
    """Cases of units (or units under them) that switched `rule_code` off."""
    from django.db.models import Q

    from .models import RuleSwitch

    q = Q(pk__in=[])
    for path in RuleSwitch.objects.filter(rule_code=rule_code, enabled=False).values_list("org__path", flat=True):
        q |= Q(org__path__startswith=path)
    return q


def _disabled_orgs(rule_code):
    """Units (and the units under them) that switched `rule_code` off, as a subquery of ids."""
    from django.db.models import Q

    from .models import RuleSwitch

    q = Q(pk__in=[])
    for path in RuleSwitch.objects.filter(rule_code=rule_code, enabled=False).values_list("org__path", flat=True):
        q |= Q(path__startswith=path)
    return Organization.objects.filter(q).values("pk")


def rule_subjects(code: str, today: date, *, within: Organization | None = None):
    """The (subject, period) rows rule `code` flags (a rule with `subjects`), leaving out the
    units that switched it off and, with `within`, the units outside that subtree."""
    from .rules import RULES

    qs = RULES[code].subjects(today).exclude(subject_org__in=_disabled_orgs(code))
    if within is not None:
        qs = qs.filter(subject_org__in=Organization.objects.filter(path__startswith=within.path).values("pk"))
    return qs


def unclued_hits_sql(code: str, today: date, *, since=None, within: Organization | None = None):
    """(sql, params) of the rows (c_case, c_org) the sweep raises clues from: what rule `code`
    finds (changed since `since` where it allows, in `within`'s subtree) less the cases
    already holding its clue. No ORDER BY (the default one would sort every hit) and no
    DISTINCT (a case found twice is inserted once: ON CONFLICT DO NOTHING on the clue's
    unique key). A windowed rule's clued cases are left out around its query, where they
    cannot lower its counts."""
    from django.db import connection
    from django.db.models import F

    from .models import Clue
    from .rules import RULES

    qs = rule_cases(code, today, since=since, unclued=True)
    if within is not None:
        qs = qs.filter(org__path__startswith=within.path)
    windowed = RULES[code].windowed
    if not windowed:
        qs = qs.exclude(supervision_clues__rule_code=code)
    sql, params = (qs.annotate(c_case=F("pk"), c_org=F("org_id")).values_list("c_case", "c_org").order_by()
                   .query.sql_with_params())
    if not windowed:
        return sql, params
    qn = connection.ops.quote_name
    return (f"SELECT t.c_case, t.c_org FROM ({sql}) t WHERE NOT EXISTS (SELECT 1 FROM {qn(Clue._meta.db_table)} k "
            f"WHERE k.{qn('rule_code')} = %s AND k.{qn('case_id')} = t.c_case)", [*params, code])


def _insert_case_clues(code: str, rows_sql, today: date, now) -> int:
    """Insert one open clue per (case, unit) row of `rows_sql` (sql, params: see
    `unclued_hits_sql`) in one INSERT … SELECT over the rule's own compiled query (nothing
    read into Python), skipping any already raised (ON CONFLICT DO NOTHING: unique per
    (rule, case)); the number inserted."""
    from django.db import connection

    from .models import Clue, ClueState

    sql, params = rows_sql
    table = connection.ops.quote_name(Clue._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in (
        "rule_code", "case_id", "org_id", "raised_on", "state", "subject_type", "subject_label", "period",
        "dismiss_reason", "version", "created_at"))
    # "WHERE 1 = 1" before ON CONFLICT: SQLite would otherwise read ON as a join constraint
    insert = (f"INSERT INTO {table} ({cols}) SELECT %s, t.c_case, t.c_org, %s, %s, '', '', '', '', 1, %s "
              f"FROM ({sql}) t WHERE 1 = 1 ON CONFLICT DO NOTHING")
    with connection.cursor() as cur:
        cur.execute(insert, [code, connection.ops.adapt_datefield_value(today), ClueState.OPEN,
                             connection.ops.adapt_datetimefield_value(now), *params])
        return max(cur.rowcount, 0)


def _insert_subject_clues(code: str, today: date, within) -> int:
    """One set-based pass of a subject rule: the rule's grouped query read once, the clues
    already raised for those subjects read once, the new ones inserted in one statement
    (idempotent: unique per (rule, subject, period))."""
    from .models import Clue

    rows = {(r["subject_type"], r["subject_id"], r["subject_period"] or ""): r
            for r in rule_subjects(code, today, within=within)}
    if rows:
        raised = set(Clue.objects.filter(rule_code=code, case__isnull=True,
                                         subject_id__in={k[1] for k in rows})
                     .values_list("subject_type", "subject_id", "period"))
        rows = {k: r for k, r in rows.items() if k not in raised}
    Clue.objects.bulk_create([
        Clue(rule_code=code, org_id=r["subject_org"], subject_type=k[0], subject_id=k[1], period=k[2],
             subject_label=(r["subject_label"] or "")[:200], raised_on=today)
        for k, r in rows.items()], ignore_conflicts=True)
    return len(rows)


# A case saved in a transaction that began before a pass started may commit after the pass
# read: the next pass looks this far before the previous one's start.
RULE_PASS_OVERLAP = timedelta(hours=1)


def rule_cases(code: str, today: date, *, since=None, unclued: bool = False):
    """The cases rule `code` flags, limited to those changed at or after `since` when the
    rule allows it (`Rule.changed_only`); the query `run_rules` inserts clues from.
    `unclued`: the rule may already leave out the cases holding its clue (`Rule.drops_clued`)."""
    from .rules import RULES

    rule = RULES[code]
    qs = (rule.cases(today, unclued=True) if unclued and rule.drops_clued else rule.cases(today))
    qs = qs.exclude(_disabled_q(code))
    if since is not None and rule.changed_only:
        qs = qs.filter(updated_at__gte=since)
    return qs


def _pass_start(code: str, today: date, now):
    """(since, full) for the sweep's pass of rule `code`: the cases changed since the last
    pass began (less the overlap), or every case when no pass is recorded or the last full
    pass is `YIFA_SUPERVISION_FULL_PASS_DAYS` old."""
    from django.conf import settings

    from .models import RuleRun

    last = RuleRun.objects.select_for_update().filter(rule_code=code).first()
    every = settings.YIFA_SUPERVISION_FULL_PASS_DAYS
    if last is None or every <= 0 or (today - last.full_on).days >= every or last.started_at > now:
        return None, True
    return last.started_at - RULE_PASS_OVERLAP, False


def _pass_done(code: str, today: date, now, full: bool) -> None:
    from .models import RuleRun

    defaults = {"started_at": now}
    if full:
        defaults["full_on"] = today
    run, created = RuleRun.objects.get_or_create(rule_code=code, defaults={**defaults, "full_on": today})
    if not created:
        for k, v in defaults.items():
            setattr(run, k, v)
        run.save()


def run_rules(*, actor=None, today: date | None = None, rule_codes=None, within: Organization | None = None,
              incremental: bool = False) -> dict:
    """Raise clues for every (enabled) rule: one set-based insert per rule, idempotent.
    `within` limits the run to a unit's subtree (a supervisor runs rules in its scope).
    `incremental` (the sweep): each rule that allows it looks only at the cases changed
    since its last such pass, so the pass costs what changed, not every case ever."""
    from .rules import RULES

    today = today or clock.today()
    if actor is not None:
        if not can_supervise(actor):
            raise PermissionDenied("只有监督员、部门法制员或乡镇法制员可以运行监督规则。")
        within = actor.scope_root
        if within is None:
            raise PermissionDenied("您没有监督范围。")
    codes = list(rule_codes or RULES)
    unknown = [c for c in codes if c not in RULES]
    if unknown:
        raise DomainError("未知的监督规则：" + "、".join(unknown), {"rule_codes": ["未知的规则"]})
    incremental = incremental and within is None
    out = {}
    for code in codes:
        if RULES[code].subjects is not None:
            with transaction.atomic():
                out[code] = _insert_subject_clues(code, today, within)
            continue
        with transaction.atomic():
            now = timezone.now()
            since, full = _pass_start(code, today, now) if incremental else (None, True)
            out[code] = _insert_case_clues(code, unclued_hits_sql(code, today, since=since, within=within),
                                           today, now)
            if incremental:
                _pass_done(code, today, now, full)
    if actor is not None:
        with transaction.atomic():
            record(actor, "supervision.rules.run", within, after={"counts": out, "today": today})
    return out


@transaction.atomic
def set_rule_switch(*, actor, org: Organization, rule_code: str, enabled: bool):
    from .models import RuleSwitch
    from .rules import RULES

    if rule_code not in RULES:
        raise DomainError("未知的监督规则。", {"rule_code": ["未知的规则"]})
    if org is None:
        raise DomainError("请指定单位。", {"org": ["必填"]})
    _require_supervisor(actor, org, "设置监督规则")
    sw, _ = RuleSwitch.objects.select_for_update(of=("self",)).get_or_create(org=org, rule_code=rule_code)
    before = {"enabled": sw.enabled}
    sw.enabled = bool(enabled)
    sw.version += 1
    sw.save()
    record(actor, "supervision.rule.switch", sw, before=before, after={"enabled": sw.enabled})
    return sw


PARAM_KIND_WORDS = {"count": "不小于 1 的整数", "amount": "大于 0 的数", "share": "大于 0、不大于 1 的比例（如 0.8）"}


def _param_value(p, raw) -> "Decimal":
    """`raw` (text or number) checked against what parameter `p` is: a whole count ≥ 1, a
    positive amount, or a share in (0, 1]."""
    from decimal import Decimal, InvalidOperation

    field = "value"
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"“{p.label}”应为数字。", {field: ["应为数字"]}) from None
    if not value.is_finite():
        raise DomainError(f"“{p.label}”应为数字。", {field: ["应为数字"]})
    kind = p.value_kind
    ok = {"count": value >= 1 and value == value.to_integral_value(),
          "amount": value > 0,
          "share": 0 < value <= 1}[kind]
    if not ok:
        raise DomainError(f"“{p.label}”应为{PARAM_KIND_WORDS[kind]}。", {field: [PARAM_KIND_WORDS[kind]]})
    if abs(value) >= Decimal("1e10") or value != value.quantize(Decimal("0.0001")):
        raise DomainError(f"“{p.label}”最多保留四位小数，且不超过一百亿。", {field: ["超出范围"]})
    return value


@transaction.atomic
def set_rule_param(*, actor, rule_code: str, key: str, value, rationale: str, expected_version=None):
    """An administrator sets threshold `key` of rule `code` (its RuleParam row), with the
    reason; audited with the value before (the stored one or the declared default) and after.
    `expected_version` 0 means: no value stored yet (editing the default)."""
    from .models import RuleParam
    from .rules import RULES

    if actor is None or not actor.has_role(Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以修改监督规则参数。")
    rule = RULES.get(rule_code)
    if rule is None:
        raise DomainError("未知的监督规则。", {"rule_code": ["未知的规则"]})
    p = next((x for x in rule.params if x.key == key), None)
    if p is None:
        raise DomainError(f"规则“{rule.name}”没有这个参数。", {"key": ["未知的参数"]})
    value = _param_value(p, value)
    rationale = _text(rationale, "rationale", "修改理由", 2000)
    row = RuleParam.objects.select_for_update().filter(rule_code=rule_code, key=key).first()
    if row is None:
        if expected_version not in (None, "") and str(expected_version).strip() != "0":
            _check_version(RuleParam(version=0), expected_version)
        row = RuleParam(rule_code=rule_code, key=key, value=value, version=1)
        before = {"value": p.default, "default": True}
    else:
        _check_version(row, expected_version)
        before = {"value": row.value, "rationale": row.rationale}
        row.version += 1
    row.value, row.rationale, row.updated_by = value, rationale, actor
    row.save()
    record(actor, "supervision.rule.param", row, before=before, after={"value": value, "rationale": rationale},
           reason=rationale)
    return row


def _lock_clue(clue):
    from .models import Clue

    return Clue.objects.select_for_update(of=("self",)).select_related("org", "case").get(pk=clue.pk)


@transaction.atomic
def confirm_clue(*, actor, clue, category: str, description: str = "", on: date | None = None,
                 expected_version=None) -> Finding:
    """A supervisor confirms a clue: it becomes a finding of the case's unit."""
    from .models import ClueState

    c = _lock_clue(clue)
    _require_supervisor(actor, c.org, "确认线索")
    _check_version(c, expected_version)
    if c.state != ClueState.OPEN:
        raise DomainError(f"该线索当前状态为“{c.get_state_display()}”，不能再处理。")
    rule = c.rule
    subject = f"{c.case.case_no}《{c.case.title}》" if c.case_id else c.subject_words
    text = (description or "").strip() or (
        f"{subject}：{rule.name if rule else '线上监督规则'}（{rule.citation if rule else ''}）")
    on = on or clock.today()
    finding = raise_finding(actor=actor, org=c.org, category=category, source=FindingSource.ADMINISTRATIVE,
                            description=text, on=on)
    before = _clue_snapshot(c)
    c.state, c.finding, c.handled_by, c.handled_on = ClueState.CONFIRMED, finding, actor, on
    c.version += 1
    c.save()
    record(actor, "supervision.clue.confirm", c, before=before, after=_clue_snapshot(c))
    return finding


@transaction.atomic
def dismiss_clue(*, actor, clue, reason: str, on: date | None = None, expected_version=None):
    from .models import ClueState

    c = _lock_clue(clue)
    _require_supervisor(actor, c.org, "排除线索")
    _check_version(c, expected_version)
    if c.state != ClueState.OPEN:
        raise DomainError(f"该线索当前状态为“{c.get_state_display()}”，不能再处理。")
    reason = _text(reason, "reason", "排除理由", 300)
    before = _clue_snapshot(c)
    c.state, c.dismiss_reason, c.handled_by, c.handled_on = ClueState.DISMISSED, reason, actor, \
        on or clock.today()
    c.version += 1
    c.save()
    record(actor, "supervision.clue.dismiss", c, before=before, after=_clue_snapshot(c), reason=reason)
    return c


# --- opinion letters (行政执法监督意见书) --------------------------------------------------------

LETTER_DOC_TYPE = "supervision_opinion_letter"
NOTICE_LETTER_DOC_TYPE = "supervision_notice_letter"
TIER_DOC_TYPES = {"notice": NOTICE_LETTER_DOC_TYPE, "opinion": LETTER_DOC_TYPE}


def _letter_content(letter, findings, on, deadline):
    from yifa.documents.content import Block, OfficialContent

    body = [Block("paragraph", f"根据行政执法监督工作安排，{letter.issuer.name}对你单位行政执法工作进行了监督，"
                               "发现以下问题：")]
    body.append(Block("heading1", "一、存在的问题"))
    body.append(Block("table", rows=[["序号", "问题类别", "监督来源", "问题描述"]] + [
        [str(i), f.get_category_display(), f.get_source_display(), f.description] for i, f in enumerate(findings, 1)]))
    body.append(Block("heading1", "二、整改要求"))
    body.append(Block("paragraph", letter.requirements))
    due = due_clause(letter, n=deadline.n, unit=deadline.unit, document=f"本{letter.short_name}")
    body.append(Block("paragraph", f"请你单位{due}完成整改，并将整改情况及佐证材料书面报送{letter.issuer.name}。"))
    if letter.tier == "notice":
        body.append(Block("paragraph", "逾期未整改或者整改不到位的，将依照《行政执法监督条例》制发行政执法监督意见书。"))
    return OfficialContent(issuer=letter.issuer.name, title=letter.title, body=body, addressee=letter.org.name,
                           signature=letter.issuer.name, date=on)


def _unit_users(org):
    from yifa.orgs.selectors import unit_contacts

    return unit_contacts(org)


@transaction.atomic
def issue_letter(*, actor, findings, requirements: str, title: str = "", on: date | None = None,
                 tier: str = "opinion"):
    """Issue a numbered 行政执法监督通知书 (tier="notice", minor problems) or 意见书 (tier=
    "opinion") from open findings of one supervised unit: each tier has its own number series
    and document; both start the rectification deadline and notify the unit."""
    from yifa.core.services import notify
    from yifa.documents.services import issue_document

    from .models import LetterTier, OpinionLetter

    if tier not in LetterTier.values:
        raise DomainError("请选择文书种类（通知书或意见书）。", {"tier": ["应为通知书或意见书"]})
    word = LetterTier(tier).label
    findings = list(findings or [])
    if not findings:
        raise DomainError("请选择至少一个问题。", {"findings": ["至少选择一个问题"]})
    orgs = {f.org_id for f in findings}
    if len(orgs) != 1:
        raise DomainError(f"一份{word}只能针对一个被监督单位的问题。", {"findings": ["问题须属于同一单位"]})
    org = findings[0].org
    _require_supervisor(actor, org, f"印发{word}")
    if actor is None or actor.org is None:
        raise DomainError("无法确定监督单位。", {"issuer": ["缺少监督单位"]})
    closed = [str(f.pk) for f in findings if f.state != FindingState.OPEN]
    if closed:
        raise DomainError(f"以下问题已整改，不能再纳入{word}：" + "、".join(closed), {"findings": ["含已整改的问题"]})
    requirements = _text(requirements, "requirements", "整改要求", 10000)
    on = on or clock.today()
    issuer = actor.org
    letter = OpinionLetter.objects.create(
        org=org, issuer=issuer, tier=tier, requirements=requirements, issued_on=on, issued_by=actor,
        title=_text(title, "title", "标题", 200, False) or f"关于{org.name}行政执法问题的{word}")
    letter.findings.set(findings)
    d = start_rectification_deadline(actor=actor, owner=letter, org=org, start=on, title=f"整改：{letter.title}")
    letter.due, letter.due_provisional = d.due, d.provisional
    doc = issue_document(actor=actor, org=issuer, doc_type=TIER_DOC_TYPES[tier], owner=letter,
                         content=_letter_content(letter, findings, on, d))
    letter.document, letter.doc_number = doc, doc.doc_number
    letter.save()
    record(actor, "supervision.letter.issue", letter,
           after={"tier": tier, "doc_number": letter.doc_number, "findings": [f.pk for f in findings],
                  "due": letter.due})
    url = f"/supervision/letters/{letter.pk}/"
    recipients = _unit_users(org)
    transaction.on_commit(lambda: notify(
        recipients=recipients, title=f"收到{word} {letter.doc_number}",
        body=f"请于 {due_text(letter)} 前完成整改并报送整改报告。", url=url, level="info",
        dedupe_key=f"supervision.letter.{letter.pk}.issued"))
    return letter


def max_evidence_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "YIFA_RECTIFICATION_MAX_UPLOAD_MB", 20)) * 1024 * 1024


MAX_EVIDENCE_FILES = 20


@transaction.atomic
def submit_rectification(*, actor, letter, content: str, evidence: str = "", files=(), on: date | None = None,
                         expected_version=None):
    """The supervised unit reports its rectification with evidence: a description, files
    (photos, scans, PDF or Word; each checked by content and size, SM3-hashed), or both;
    refused without any evidence. All or nothing: a refused file stores nothing."""
    from yifa.core.uploads import EVIDENCE, check_upload
    from yifa.core.workflows import transition

    from .models import LetterState, RectificationFile, RectificationReport
    from .workflows import LETTER

    locked = type(letter).objects.select_for_update(of=("self",)).get(pk=letter.pk)
    _in_scope(actor, locked)
    if locked.state != LetterState.RECTIFYING:
        raise DomainError(f"{locked.short_name}当前状态为“{locked.get_state_display()}”，不能报送整改报告。")
    content = _text(content, "content", "整改情况", 20000)
    evidence = (evidence or "").strip()
    files = [f for f in (files or ()) if f is not None]
    if len(files) > MAX_EVIDENCE_FILES:
        raise DomainError(f"佐证文件一次最多上传 {MAX_EVIDENCE_FILES} 个。", {"files": ["文件过多"]})
    checked = [check_upload(f, kinds=EVIDENCE, max_bytes=max_evidence_bytes(), field="files", what="佐证文件")
               for f in files]
    if not evidence and not files:
        raise DomainError("整改报告须附佐证材料（说明或文件），未附佐证材料的报告不予接收。",
                          {"evidence": ["请填写佐证材料说明或上传佐证文件"]})
    if len(evidence) > 20000:
        raise DomainError("佐证材料说明过长。", {"evidence": ["不能超过 20000 字"]})
    on = on or clock.today()
    if on < locked.issued_on:
        raise DomainError(f"报送日期不能早于{locked.short_name}印发日期。", {"on": ["不能早于印发日期"]})
    n = locked.reports.count() + 1
    report = RectificationReport.objects.create(letter=locked, round=n, content=content, evidence=evidence,
                                                submitted_on=on, submitted_by=actor)
    stored = []
    try:
        for upload, c in zip(files, checked, strict=True):
            ext = c.kind.extensions[0]
            rf = RectificationFile(report=report, org=locked.org, original_name=c.name, content_type=c.content_type,
                                   size=c.size, sm3=c.sm3, uploaded_by=actor)
            rf.file.save(f"{locked.pk}-{n}-{c.sm3[:16]}{ext}", upload, save=False)
            stored.append(rf.file)
            rf.save()
        record(actor, "supervision.letter.report", locked,
               after={"round": n, "report": report.pk, "evidence": evidence,
                      "files": [{"name": c.name, "size": c.size, "sm3": c.sm3} for c in checked]})
        return transition(locked, "submit", actor=actor, workflow=LETTER, on=on, expected_version=expected_version)
    except BaseException:
        for f in stored:
            f.storage.delete(f.name)
        raise


def letter_transition(*, actor, letter, action: str, reason: str = "", on: date | None = None,
                      expected_version=None):
    """accept / reject (with reasons) / close / submit through the workflow engine."""
    from yifa.core.workflows import transition

    from .workflows import LETTER

    if action == "escalate":
        raise DomainError("升级为监督决定须填写决定类型和决定事项，请使用“升级为监督决定”操作。",
                          {"action": ["请使用升级接口"]})
    return transition(letter, action, actor=actor, workflow=LETTER, reason=reason, on=on,
                      expected_version=expected_version, payload={"reason": reason, "on": on})


def _pending_report(letter):
    return letter.reports.filter(result="pending").order_by("-round").first()


def letter_accepted_effect(letter, actor, payload):
    r = _pending_report(letter)
    r.result, r.review_reason = "accepted", payload.get("reason", "") or ""
    r.reviewed_on, r.reviewed_by = payload.get("on") or clock.today(), actor
    r.save()


def letter_closed_effect(letter, actor, payload):
    """Closing a letter whose rectification was accepted closes the findings it covered:
    each still open or corrected finding is verified (on the accepted report) and its
    rectification deadline closed, audited one by one."""
    on = payload.get("on") or clock.today()
    report = letter.reports.filter(result=ReportResult.ACCEPTED).order_by("-round").first()
    corrected_on = report.submitted_on if report is not None else on
    for f in letter.findings.select_for_update(of=("self",)).filter(
            state__in=(FindingState.OPEN, FindingState.CORRECTED)).order_by("pk"):
        before = _finding_snapshot(f)
        if f.state == FindingState.OPEN:
            f.corrected_on = min(corrected_on, on)
            f.evidence = f.evidence or (report.content if report is not None else "")
        f.state, f.verified_on, f.verified_by = FindingState.VERIFIED, on, actor
        f.version += 1
        f.save()
        d = _open_deadline(f)
        if d is not None:
            deadline_services.close_deadline(actor=None, deadline=d, met_on=f.corrected_on or on)
        record(actor, "supervision.finding.verify", f, before=before, after=_finding_snapshot(f),
               reason=f"随监督意见书 {letter.doc_number} 整改认可办结")


def letter_rejected_effect(letter, actor, payload):
    r = _pending_report(letter)
    r.result, r.review_reason = "rejected", payload.get("reason", "") or ""
    r.reviewed_on, r.reviewed_by = payload.get("on") or clock.today(), actor
    r.save()


def notify_letter_unit(title):
    def send(letter, actor, payload):
        from yifa.core.services import notify

        notify(recipients=_unit_users(letter.org), title=f"意见书 {letter.doc_number}：{title}",
               body=payload.get("reason", "") or "", url=f"/supervision/letters/{letter.pk}/",
               dedupe_key=f"supervision.letter.{letter.pk}.{letter.version}")

    return send


# --- escalation: 行政执法监督决定书 ----------------------------------------------------------------

DECISION_DOC_TYPE = "supervision_decision"


def letter_escalable_reason(letter, on: date) -> str:
    """Why `letter` may be escalated on `on` ('' when it may not): overdue, or its last
    rectification report was rejected."""
    from .models import LetterState, ReportResult

    if letter.state != LetterState.RECTIFYING:
        return ""
    if letter.due is not None and letter.due < on:
        return f"整改期限（{letter.due:%Y-%m-%d}）已届满仍未整改到位"
    last = letter.reports.order_by("-round").first()
    if last is not None and last.result == ReportResult.REJECTED:
        return f"第 {last.round} 轮整改报告未予认可"
    return ""


@transaction.atomic
def escalate_notice(*, actor, letter, requirements: str, reasons: str, title: str = "", on: date | None = None,
                    expected_version=None):
    """An overdue or rejected 行政执法监督通知书 becomes a 意见书: the notice moves to
    'escalated' (its deadline stops) and a 意见书 is issued on the same findings that are
    still open, with its own number, document and deadline; the two are linked."""
    from yifa.core.workflows import transition

    from .workflows import LETTER

    if letter.tier != "notice":
        raise DomainError("只有行政执法监督通知书可以升级为意见书；意见书整改不到位的，应作出监督决定。",
                          {"letter": ["不是通知书"]})
    reasons = _text(reasons, "reasons", "升级理由", 2000)
    requirements = _text(requirements, "requirements", "整改要求", 10000)
    on = on or clock.today()
    findings = list(letter.findings.filter(state=FindingState.OPEN).order_by("pk"))
    if not findings:
        raise DomainError("通知书所涉问题均已整改，无需升级为意见书。", {"findings": ["没有未整改的问题"]})
    letter = transition(letter, "escalate", actor=actor, workflow=LETTER, reason=reasons, on=on,
                        expected_version=expected_version, payload={"on": on, "reason": reasons})
    opinion = issue_letter(actor=actor, findings=findings, requirements=requirements, title=title, on=on,
                           tier="opinion")
    type(letter).objects.filter(pk=letter.pk).update(escalated_to=opinion)
    letter.escalated_to = opinion
    record(actor, "supervision.letter.escalate_to_opinion", letter,
           after={"opinion": opinion.pk, "doc_number": opinion.doc_number}, reason=reasons)
    return opinion


def _decision_content(decision, letter, findings, on, deadline):
    from yifa.documents.content import Block, OfficialContent, chinese_date

    body = [Block("paragraph", f"{letter.issuer.name}于{chinese_date(letter.issued_on)}向你单位印发"
                               f"《{letter.title}》（{letter.doc_number}），要求限期整改。"),
            Block("heading1", "一、事实和理由"), Block("paragraph", decision.reasons)]
    if findings:
        body.append(Block("table", rows=[["序号", "问题类别", "问题描述"]] + [
            [str(i), f.get_category_display(), f.description] for i, f in enumerate(findings, 1)]))
    body += [Block("heading1", f"二、监督决定（{decision.get_kind_display()}）"),
             Block("paragraph", decision.requirements),
             Block("paragraph", f"请你单位{due_clause(decision, n=deadline.n, unit=deadline.unit, document='本决定书')}"
                                f"履行本决定，并将履行情况书面报告{decision.issuer.name}。")]
    return OfficialContent(issuer=decision.issuer.name, title=f"关于{letter.org.name}的行政执法监督决定书",
                           body=body, addressee=letter.org.name, signature=decision.issuer.name, date=on)


@transaction.atomic
def escalate_letter(*, actor, letter, kind: str, reasons: str, requirements: str, on: date | None = None,
                    expected_version=None):
    """An overdue or rejected letter becomes a 行政执法监督决定书: the letter moves to
    'escalated' (its rectification deadline stops), the decision is numbered and issued
    (docx/pdf), its 30-day report deadline starts, and the unit is notified."""
    from yifa.core.services import notify
    from yifa.core.workflows import transition
    from yifa.documents.services import issue_document

    from .models import SupervisionDecision
    from .workflows import LETTER

    if letter.tier == "notice":
        raise DomainError("行政执法监督通知书整改不到位的，应先升级为行政执法监督意见书，不能直接作出监督决定。",
                          {"letter": ["请升级为意见书"]})
    if kind not in DecisionKind.values:
        raise DomainError("请选择监督决定类型。", {"kind": ["应为限期履行、限期纠正、撤销或确认违法或无效"]})
    reasons = _text(reasons, "reasons", "事实和理由", 10000)
    requirements = _text(requirements, "requirements", "决定事项", 10000)
    on = on or clock.today()
    if actor is None or actor.org is None:
        raise DomainError("无法确定监督单位。", {"issuer": ["缺少监督单位"]})
    _require_supervisor(actor, letter.org, "作出监督决定")
    allowed = DECISION_ISSUER_KINDS.get(kind, ())
    if actor is not None and actor.org.kind not in allowed:
        raise PermissionDenied(f"行政执法监督决定书（{DecisionKind(kind).label}）只能由县行政执法监督办公室代表县政府作出。")
    letter = transition(letter, "escalate", actor=actor, workflow=LETTER, reason=reasons, on=on,
                        expected_version=expected_version, payload={"on": on, "reason": reasons})
    decision = SupervisionDecision.objects.create(org=letter.org, issuer=actor.org, letter=letter, kind=kind,
                                                  reasons=reasons, requirements=requirements, issued_on=on,
                                                  issued_by=actor)
    d = start_rectification_deadline(actor=actor, owner=decision, org=letter.org, start=on,
                                     title=f"履行监督决定：{letter.title}")
    decision.due, decision.due_provisional = d.due, d.provisional
    doc = issue_document(actor=actor, org=actor.org, doc_type=DECISION_DOC_TYPE, owner=decision,
                         content=_decision_content(decision, letter, list(letter.findings.all()), on, d))
    decision.document, decision.doc_number = doc, doc.doc_number
    decision.save()
    record(actor, "supervision.decision.issue", decision,
           after={"letter": letter.pk, "kind": kind, "doc_number": decision.doc_number, "due": decision.due})
    recipients = _unit_users(letter.org)
    transaction.on_commit(lambda: notify(
        recipients=recipients, title=f"收到行政执法监督决定书 {decision.doc_number}",
        body=f"{decision.get_kind_display()}：请于 {due_text(decision)} 前履行并书面报告。",
        url=f"/supervision/decisions/{decision.pk}/", level="red",
        dedupe_key=f"supervision.decision.{decision.pk}.issued"))
    return decision


@transaction.atomic
def fulfil_decision(*, actor, decision, fulfilment: str, on: date | None = None, expected_version=None):
    """The supervisor records that the unit performed the decision; the deadline closes."""
    from .models import DecisionState, SupervisionDecision

    dec = SupervisionDecision.objects.select_for_update(of=("self",)).select_related("org").get(pk=decision.pk)
    _require_supervisor(actor, dec.org, "确认监督决定履行")
    _check_version(dec, expected_version)
    if dec.state != DecisionState.ISSUED:
        raise DomainError(f"该决定当前状态为“{dec.get_state_display()}”，不能再确认履行。")
    fulfilment = _text(fulfilment, "fulfilment", "履行情况", 10000)
    on = on or clock.today()
    if on < dec.issued_on:
        raise DomainError("履行确认日期不能早于决定印发日期。", {"on": ["不能早于印发日期"]})
    dec.state, dec.fulfilment, dec.fulfilled_on = DecisionState.FULFILLED, fulfilment, on
    dec.version += 1
    dec.save()
    d = _open_deadline(dec)
    if d is not None:
        deadline_services.close_deadline(actor=None, deadline=d, met_on=on)
    record(actor, "supervision.decision.fulfil", dec, before={"state": "issued"},
           after={"state": dec.state, "fulfilment": fulfilment, "fulfilled_on": on})
    return dec


# --- findings: severity and typical cases ------------------------------------------------------

def mask_personal_data(text: str, names=()) -> str:
    """ID numbers, mobile phones and the given personal names masked (enforcement's masking)."""
    from yifa.enforcement.masking import mask_text

    return mask_text(text or "", names=names)


def _finding_party_names(f) -> list:
    """Names of individual parties of the cases behind the finding (via its clues)."""
    return [n for n in f.clues.filter(case__party_kind="individual").values_list("case__party_name", flat=True) if n]


@transaction.atomic
def mark_finding(*, actor, finding, is_major: bool | None = None, typical: bool | None = None,
                 public_summary: str | None = None, expected_version=None) -> Finding:
    """Set a finding's severity (重大问题) and its typical-case flag with a public summary
    (personal data masked; required when marking typical)."""
    f = _lock_finding(finding)
    _require_supervisor(actor, f.org, "标记问题")
    _check_version(f, expected_version)
    before = {"is_major": f.is_major, "typical": f.typical, "public_summary": f.public_summary}
    if is_major is not None:
        f.is_major = bool(is_major)
    if public_summary is not None:
        f.public_summary = mask_personal_data(_text(public_summary, "public_summary", "公开摘要", 2000, False),
                                              names=_finding_party_names(f))
    if typical is not None:
        f.typical = bool(typical)
    if f.typical and not f.public_summary.strip():
        raise DomainError("标记为典型案例须填写公开摘要。", {"public_summary": ["请填写公开摘要"]})
    f.version += 1
    f.save()
    record(actor, "supervision.finding.mark", f, before=before,
           after={"is_major": f.is_major, "typical": f.typical, "public_summary": f.public_summary})
    return f


# --- notices (通报) ---------------------------------------------------------------------------

def draft_notice_text(findings, period_start=None, period_end=None) -> str:
    """A first draft of the notice body from the chosen findings (the supervisor edits it)."""
    from collections import Counter

    findings = list(findings)
    from yifa.documents.content import chinese_date

    period = (f"{chinese_date(period_start)}至{chinese_date(period_end)}" if period_start and period_end
              else "近期")
    by_cat = Counter(f.get_category_display() for f in findings)
    corrected = sum(1 for f in findings if f.state != FindingState.OPEN)
    lines = [f"{period}，全县行政执法监督共发现问题 {len(findings)} 个，已整改 {corrected} 个。"
             + ("按类别：" + "，".join(f"{k} {v} 个" for k, v in by_cat.most_common()) + "。" if by_cat else ""),
             "现将有关问题通报如下："]
    for i, f in enumerate(findings, 1):
        state = "已整改" if f.state != FindingState.OPEN else "正在整改"
        lines.append(f"{i}. {f.org.name}：{f.description}（{f.get_category_display()}，{state}）")
    notices, opinions, decisions = instrument_counts(findings)
    if notices or opinions or decisions:
        lines.append(f"针对上述问题，制发行政执法监督通知书 {notices} 份、意见书 {opinions} 份、决定书 {decisions} 份。")
    lines.append("各单位要举一反三，对照检查，严格规范公正文明执法。")
    return "\n".join(lines)


def instrument_counts(findings) -> tuple[int, int, int]:
    """(通知书, 意见书, 决定书) issued on any of `findings` — each instrument once."""
    from .models import LetterTier, OpinionLetter, SupervisionDecision

    ids = [f.pk for f in findings]
    if not ids:
        return 0, 0, 0
    letters = OpinionLetter.objects.filter(findings__in=ids).values("pk", "tier").distinct()
    tiers = {r["pk"]: r["tier"] for r in letters}
    notices = sum(1 for t in tiers.values() if t == LetterTier.NOTICE)
    decisions = SupervisionDecision.objects.filter(letter_id__in=list(tiers)).count()
    return notices, len(tiers) - notices, decisions


@transaction.atomic
def create_notice(*, actor, title: str, findings, body: str = "", period_start=None, period_end=None):
    from .models import Notice

    if actor is None or actor.org is None:
        raise DomainError("无法确定发文单位。", {"org": ["缺少发文单位"]})
    _require_supervisor(actor, actor.org, "起草通报")
    findings = list(findings or [])
    if not findings:
        raise DomainError("请选择至少一个问题。", {"findings": ["至少选择一个问题"]})
    root = actor.scope_root
    outside = [str(f.pk) for f in findings if root is None or not f.org.path.startswith(root.path)]
    if outside:
        raise DomainError("所选问题不在您的监督范围内。", {"findings": ["不在监督范围内"]})
    if period_start and period_end and period_end < period_start:
        raise DomainError("通报期间结束日期不能早于开始日期。", {"period_end": ["不能早于开始日期"]})
    title = _text(title, "title", "标题", 200)
    body = _text(body, "body", "正文", 50000, False) or draft_notice_text(findings, period_start, period_end)
    n = Notice.objects.create(org=actor.org, title=title, body=body, period_start=period_start,
                              period_end=period_end, created_by=actor)
    n.findings.set(findings)
    record(actor, "supervision.notice.create", n, after={"title": title, "findings": [f.pk for f in findings]})
    return n


def _lock_notice(notice):
    from .models import Notice

    return Notice.objects.select_for_update(of=("self",)).select_related("org").get(pk=notice.pk)


@transaction.atomic
def edit_notice(*, actor, notice, title: str, body: str, expected_version=None):
    from .models import NoticeState

    n = _lock_notice(notice)
    _require_supervisor(actor, n.org, "修改通报")
    _check_version(n, expected_version)
    if n.state != NoticeState.DRAFT:
        raise DomainError("通报已印发，不能再修改。")
    before = {"title": n.title, "body": n.body}
    n.title, n.body = _text(title, "title", "标题", 200), _text(body, "body", "正文", 50000)
    n.version += 1
    n.save()
    record(actor, "supervision.notice.edit", n, before=before, after={"title": n.title, "body": n.body})
    return n


@transaction.atomic
def issue_notice(*, actor, notice, on: date | None = None, expected_version=None):
    """Issue the draft as a numbered 通报 (docx/pdf)."""
    from yifa.documents.content import Block, OfficialContent
    from yifa.documents.services import issue_document

    from .models import NoticeState

    n = _lock_notice(notice)
    _require_supervisor(actor, n.org, "印发通报")
    _check_version(n, expected_version)
    if n.state != NoticeState.DRAFT:
        raise DomainError("通报已印发。")
    on = on or clock.today()
    body = [Block("paragraph", p.strip()) for p in n.body.splitlines() if p.strip()]
    doc = issue_document(actor=actor, org=n.org, doc_type="notice", owner=n,
                         content=OfficialContent(issuer=n.org.name, title=n.title, body=body,
                                                 addressee="各乡镇人民政府（街道办事处），县政府各部门",
                                                 signature=n.org.name, date=on))
    n.state, n.issued_on, n.document, n.doc_number = NoticeState.ISSUED, on, doc, doc.doc_number
    n.version += 1
    n.save()
    record(actor, "supervision.notice.issue", n, before={"state": "draft"},
           after={"state": n.state, "doc_number": n.doc_number, "issued_on": on})
    return n


# --- 督办: a tracked instruction to the unit handling an overdue case ------------------------

def _urging_snapshot(u) -> dict:
    return {"case": u.case_id, "state": u.state, "instruction": u.instruction, "issued_on": u.issued_on,
            "due": u.due, "reply": u.reply, "replied_on": u.replied_on}


def may_urge(user, case) -> bool:
    """Show the 督办 action: a supervisor whose scope holds the case, on an overdue open case
    of another unit, with no 督办 awaiting a reply."""
    from .models import Urging, UrgingState

    if not can_supervise(user) or user.org_id == case.org_id or user.scope_root is None:
        return False
    return (case.is_open and case.due is not None and case.due < clock.today()
            and case.org.path.startswith(user.scope_root.path)
            and not Urging.objects.filter(case=case, state=UrgingState.OPEN).exists())


def may_reply_urging(user, urging) -> bool:
    """The unit instructed replies: a person of that unit or of its internal supervision
    unit / legal office (whose scope is the unit) — never the issuing side."""
    from .models import UrgingState

    if urging.state != UrgingState.OPEN or not getattr(user, "is_authenticated", False):
        return False
    own = user.org.path.startswith(urging.org.path) or (user.scope_root is not None and
                                                         user.scope_root.pk == urging.org_id)
    return own and user.org_id != urging.issuer_org_id


@transaction.atomic
def urge_case(*, actor, case, instruction: str, on: date | None = None):
    """督办 an overdue open case: instruct its unit, with a reply deadline from the rule
    `supervision.urging_reply` (provisional when it reaches a year without a holiday notice),
    notify the handler and the unit, audit. A case outside the actor's scope is a 404."""
    from django.http import Http404

    from yifa.core.services import notify
    from yifa.enforcement.models import Case

    from .models import URGING_RULE, Urging, UrgingState

    if not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise Http404
    case = Case.objects.select_for_update().select_related("org").get(pk=case.pk)
    _require_supervisor(actor, case.org, "督办案件")
    if actor.org_id == case.org_id:
        raise PermissionDenied("不能督办本单位承办的案件。")
    instruction = text_field(instruction, "instruction", "督办要求", max_len=2000)
    today = on or clock.today()
    if not case.is_open or case.due is None or case.due >= today:
        raise DomainError("只能督办已超期的在办案件。")
    if Urging.objects.filter(case=case, state=UrgingState.OPEN).exists():
        raise DomainError("该案件已有待回复的督办，请等待承办单位回复。")
    u = Urging(org=case.org, case=case, issuer_org=actor.org, issued_by=actor, issued_on=today,
               instruction=instruction, due=today)
    u.save()
    d = deadline_services.start_deadline(actor=None, owner=u, rule_code=URGING_RULE, start=today, org=case.org,
                                         handler=case.handler, title=f"督办回复：{case.case_no}《{case.title}》"[:200])
    u.due, u.due_provisional = d.due, d.provisional
    u.save(update_fields=["due", "due_provisional"])
    record(actor, "supervision.urging.issue", u, after=_urging_snapshot(u))
    recipients = list(_unit_users(case.org)) + ([case.handler] if case.handler else [])
    url = f"/enforcement/cases/{case.pk}/"
    transaction.on_commit(lambda: notify(
        recipients=recipients, title=f"案件 {case.case_no} 已超期，{actor.org.name}督办",
        body=f"请于 {due_text(u)} 前书面回复办理情况。", url=url, level="red",
        dedupe_key=f"supervision.urging.{u.pk}.issued"))
    return u


@transaction.atomic
def reply_urging(*, actor, urging, reply: str, on: date | None = None, version=None):
    """The unit's written reply closes the 督办 and its reply deadline (met or missed)."""
    from django.http import Http404

    from yifa.core.services import notify

    from .models import Urging, UrgingState

    if not Urging.objects.visible_to(actor).filter(pk=urging.pk).exists():
        raise Http404
    u = Urging.objects.select_for_update().select_related("org", "case").get(pk=urging.pk)
    _check_version(u, version)
    if u.state != UrgingState.OPEN:
        raise IllegalTransition("该督办已回复，不能重复回复。")
    if not may_reply_urging(actor, u):
        raise PermissionDenied("只有被督办单位可以回复督办。")
    reply = text_field(reply, "reply", "回复内容", max_len=4000)
    today = on or clock.today()
    before = _urging_snapshot(u)
    u.state, u.reply, u.replied_on, u.replied_by = UrgingState.REPLIED, reply, today, actor
    u.version += 1
    u.save()
    for d in deadlines_for_owner(u).exclude(state__in=deadline_services.CLOSED_STATES):
        deadline_services.close_deadline(actor=None, deadline=d, met_on=today)
    record(actor, "supervision.urging.reply", u, before=before, after=_urging_snapshot(u))
    issuer = u.issued_by
    transaction.on_commit(lambda: notify(
        recipients=[issuer], title=f"{u.org.name}已回复督办：{u.case.case_no}", url=f"/enforcement/cases/{u.case_id}/",
        dedupe_key=f"supervision.urging.{u.pk}.replied"))
    return u
