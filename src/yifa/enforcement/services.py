"""Every write of the enforcement app: keyword-only `actor`, atomic, audited."""

import os
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from yifa.core import clock
from yifa.audit.services import record
from yifa.core.errors import DomainError, StaleVersion
from yifa.core.labels import label
from yifa.core.workflows import transition
from yifa.deadlines import services as deadline_services
from yifa.deadlines.models import ACTIVE_STATES, DeadlineState
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.orgs.models import Role

from . import rules
from .models import (Case, DiscretionBenchmark, EnforcementBody, EnforcementItem, LoadDimension, Officer,
                     OnTimeRollup, OpenLoadAsOf, OpenLoadRollup, ProcessRecord, PublicityState, RecordKind,
                     ReviewResult)
from .workflows import FILING_DEADLINES, INITIAL_STATE, LEGAL, TERMINAL_STATES, workflow_for

WRITERS = (Role.OFFICER, Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER, Role.ADMIN)
LIBRARY_WRITERS = (Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER, Role.ADMIN)


def _check_org(actor, org, roles=WRITERS):
    if actor is None:
        return
    if not org.path.startswith(actor.scope_root.path):
        raise PermissionDenied("该单位不在您的管理范围内。")
    if not actor.has_role(*roles):
        raise PermissionDenied("您的角色不能执行该操作。")


def _check_version(obj, expected_version):
    if expected_version in (None, ""):
        return
    try:
        expected_version = int(expected_version)
    except (TypeError, ValueError) as exc:
        raise DomainError("版本号应为整数。", {"version": ["应为整数"]}) from exc
    if expected_version != obj.version:
        raise StaleVersion("该记录已被他人修改，请刷新后重试。")


def _snap(obj, fields):
    return {f: getattr(obj, f"{f}_id" if f in ("org", "item", "body", "handler", "user", "sector") else f)
            for f in fields}


# --- base libraries --------------------------------------------------------------------

BODY_FIELDS = ("org", "name", "kind", "legal_basis", "is_active")
OFFICER_FIELDS = ("org", "name", "certificate_no", "valid_from", "valid_to", "status", "user")
ITEM_FIELDS = ("org", "code", "name", "category", "legal_basis", "sector", "is_active")


@transaction.atomic
def save_library_record(*, actor, model, data: dict, instance=None, expected_version=None, action_prefix=""):
    """Create or update a body, officer or item (all or nothing, audited, stale edits refused)."""
    fields = {EnforcementBody: BODY_FIELDS, Officer: OFFICER_FIELDS, EnforcementItem: ITEM_FIELDS}[model]
    org = data.get("org") or (instance.org if instance else None)
    if org is None:
        raise DomainError("请选择所属单位。", {"org": ["必填"]})
    _check_org(actor, org, LIBRARY_WRITERS)
    if model is Officer and data.get("valid_from") and data.get("valid_to") and data["valid_from"] > data["valid_to"]:
        raise DomainError("执法证有效期起不能晚于有效期至。", {"valid_to": ["不能早于有效期起"]})
    before = None
    if instance is not None:
        instance = model.objects.select_for_update(of=("self",)).get(pk=instance.pk)
        _check_org(actor, instance.org, LIBRARY_WRITERS)
        _check_version(instance, expected_version)
        before = _snap(instance, fields)
        instance.version += 1
    else:
        instance = model()
    for f in fields:
        if f in data:
            setattr(instance, f, data[f])
    instance.full_clean()
    instance.save()
    name = action_prefix or model._meta.model_name
    record(actor, f"{name}.{'update' if before else 'create'}", instance, before=before,
           after=_snap(instance, fields))
    return instance


@transaction.atomic
def set_benchmarks(*, actor, item, benchmarks: list[dict]):
    """Replace the item's discretion benchmarks: [{level, circumstance, min_amount, max_amount}]."""
    _check_org(actor, item.org, LIBRARY_WRITERS)
    for b in benchmarks:
        if b["min_amount"] > b["max_amount"]:
            raise DomainError("裁量基准下限不能大于上限。", {"benchmarks": [f"{b['level']}：下限大于上限"]})
    before = list(item.benchmarks.values("level", "min_amount", "max_amount"))
    item.benchmarks.all().delete()
    DiscretionBenchmark.objects.bulk_create([DiscretionBenchmark(item=item, **b) for b in benchmarks])
    record(actor, "enforcement_item.benchmarks", item, before={"benchmarks": before}, after={"benchmarks": benchmarks})
    return item


# --- cases -----------------------------------------------------------------------------

CASE_FIELDS = ("title", "party_name", "party_kind", "party_id_no", "party_phone", "party_address", "facts",
               "sanction", "amount", "circumstance", "discretion_reason", "major_public_interest", "rights_waived",
               "handler", "body", "act_on", "discovered_on", "limitation_five_years", "rest_day_reason")


CASE_NO_SERIES = "enforcement_case"


def case_no_prefix(org, year) -> str:
    return f"{org.short_name or org.code}〔{year}〕"


def format_case_no(prefix: str, serial: int) -> str:
    return f"{prefix}{serial:05d}号"


def take_case_serials(org, year, count: int = 1) -> int:
    """Reserve `count` consecutive case numbers of the unit and year in one step (the
    documents app's per-unit, per-year sequence rows, series `enforcement_case`); the first
    serial is returned. A unit-year's series starts after the cases numbered before it
    existed (counted once, when its row is created)."""
    from yifa.documents.services import take_serials

    prefix = case_no_prefix(org, year)
    return take_serials(org_id=org.pk, year=year, series=CASE_NO_SERIES, count=count,
                        seed=lambda: Case.objects.filter(org=org, case_no__startswith=prefix).count())


def _next_case_no(org, year):
    return format_case_no(case_no_prefix(org, year), take_case_serials(org, year, 1))


@transaction.atomic
def file_case(*, actor, org, item, case_type="penalty", procedure="general", filed_on: date | None = None,
              officers=(), case_no="", source_system="yifa", source_case_no="", **fields) -> Case:
    """立案 (or 受理 / 检查计划): creates the case in its first state and starts its
    filing deadline (penalty.decision, permit.materials_notice)."""
    _check_org(actor, org)
    load_as_of()  # the board's rollup exists before this case is counted into it
    if not item.org.path.startswith(org.government().path) and not org.path.startswith(item.org.path):
        raise DomainError("执法事项不属于本县（区）。", {"item": ["执法事项无效"]})
    filed_on = filed_on or clock.today()
    if filed_on > clock.today():
        raise DomainError("立案日期不能晚于今天。", {"filed_on": ["不能晚于今天"]})
    if case_type == "penalty" and procedure == "summary":
        pass
    elif procedure != "general":
        raise DomainError("只有行政处罚可适用简易程序。", {"procedure": ["只有行政处罚可适用简易程序"]})
    if case_type == "penalty":
        check_limitation(act_on=fields.get("act_on"), discovered_on=fields.get("discovered_on") or filed_on,
                         five_years=bool(fields.get("limitation_five_years")), org=org)
    case_no = case_no or _next_case_no(org, filed_on.year)
    case = Case(org=org, item=item, case_type=case_type, procedure=procedure, state=INITIAL_STATE[case_type],
                filed_on=filed_on, case_no=case_no, source_system=source_system,
                source_case_no=source_case_no or case_no)
    if actor is not None and fields.get("handler") is None:
        fields["handler"] = actor
    for f in CASE_FIELDS:
        if f in fields:
            setattr(case, f, fields[f])
    case.full_clean(exclude=["officers"])
    case.save()
    if officers:
        _check_officers(case, officers)
        case.officers.set(officers)
    start_filing_deadlines(case, actor=actor)
    record(actor, "case.file", case, after={**_snap(case, ("org", "item", "case_type", "procedure", "state",
                                                           "filed_on", "case_no")),
                                            "officers": [o.pk for o in officers],
                                            })
    refresh_monitoring(case, actor=actor, on=filed_on, rollup=False)
    apply_load_delta({}, load_contribution(case.pk))
    return case


def check_limitation(*, act_on, discovered_on, five_years: bool, org=None) -> None:
    """行政处罚法 art. 36: an act not discovered within two years (five where life, health or
    financial safety is involved with harmful consequences) is no longer penalised, counted
    from the act or, if continuing, its end. Without an act date nothing is refused (the
    case page says the check could not be made)."""
    if act_on is None:
        return
    if discovered_on is not None and act_on > discovered_on:
        raise DomainError("违法行为发生日期不能晚于发现日期（或立案日期）。", {"act_on": ["不能晚于发现日期"]})
    from yifa.deadlines import engine

    code, years = ("penalty.limitation_major", "五") if five_years else ("penalty.limitation", "二")
    limit = engine.compute(code, act_on, org=org)
    if discovered_on is not None and discovered_on > limit.due:
        raise DomainError(
            f"违法行为发生（终了）于 {act_on:%Y-%m-%d}，至发现之日（{discovered_on:%Y-%m-%d}）已超过{years}年追责时效"
            f"（届满 {limit.due:%Y-%m-%d}），依照《行政处罚法》第三十六条不再给予行政处罚，不能立案处罚。",
            {"act_on": [f"已超过{years}年追责时效"]})


def start_filing_deadlines(case, *, actor=None) -> list:
    """Start the case's filing deadline(s): provisional when one reaches a year whose
    holiday notice is not entered yet, never left out. Returns the deadlines started."""
    return [deadline_services.start_deadline(actor=actor, owner=case, rule_code=code, start=case.filed_on,
                                             org=case.org, handler=case.handler, title=f"{case.case_no} {case.title}")
            for code in FILING_DEADLINES.get((case.case_type, case.procedure), ())]


def _check_officers(case, officers):
    for o in officers:
        if not case.org.path.startswith(o.org.path) and not o.org.path.startswith(case.org.path):
            raise DomainError(f"执法人员 {o.name} 不属于办案单位。", {"officers": [f"{o.name} 不属于办案单位"]})


@transaction.atomic
def update_case(*, actor, case, data: dict, expected_version=None) -> Case:
    """Edit the case's facts; two people editing one case: the second gets 409."""
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    _check_org(actor, locked.org)
    _check_version(locked, expected_version)
    if locked.state in TERMINAL_STATES:
        raise DomainError("已结案的案件不能修改。")
    load_before = load_contribution(locked.pk)
    before = _snap(locked, [f for f in CASE_FIELDS if f in data])
    for f in CASE_FIELDS:
        if f in data:
            setattr(locked, f, data[f])
    officers = data.get("officers")
    locked.version += 1
    locked.full_clean(exclude=["officers"])
    locked.save()
    after = _snap(locked, [f for f in CASE_FIELDS if f in data])
    if officers is not None:
        _check_officers(locked, officers)
        before["officers"] = sorted(locked.officers.values_list("pk", flat=True))
        locked.officers.set(officers)
        after["officers"] = sorted(o.pk for o in officers)
    apply_load_delta(load_before, load_contribution(locked.pk))
    record(actor, "case.update", locked, before=before, after=after)
    return locked


def move_case(case, action, *, actor, on: date | None = None, reason="", expected_version=None,
              payload=None) -> Case:
    """Apply one step of the case's transition table (see workflows.py)."""
    on = on or clock.today()
    if on > clock.today():
        raise DomainError("行为日期不能晚于今天。", {"on": ["不能晚于今天"]})
    payload = {**(payload or {}), "on": on, "reason": reason}
    return transition(case, action, actor=actor, workflow=workflow_for(case), reason=reason, on=on,
                      expected_version=expected_version, payload=payload)


@transaction.atomic
def record_legal_review(*, actor, case, result: str, opinion: str, on: date | None = None,
                        expected_version=None) -> Case:
    """法制审核 result recorded by the unit's legal officer (重大执法决定法制审核)."""
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    _check_org(actor, locked.org, LEGAL)
    _check_version(locked, expected_version)
    if locked.state != "legal_review":
        raise DomainError("案件不在法制审核环节。")
    if result not in (ReviewResult.PASSED, ReviewResult.REJECTED):
        raise DomainError("请选择审核结论。", {"result": ["必填"]})
    if not (opinion or "").strip():
        raise DomainError("请填写审核意见。", {"opinion": ["必填"]})
    before = {"legal_review_result": locked.legal_review_result}
    locked.legal_review_result = result
    locked.legal_review_opinion = opinion.strip()
    locked.legal_review_on = on or clock.today()
    locked.legal_reviewer = actor
    locked.version += 1
    locked.save()
    doc = issue_legal_review_opinion(actor=actor, case=locked)
    record(actor, "case.legal_review", locked, before=before,
           after={"legal_review_result": result, "legal_review_on": locked.legal_review_on,
                  "document": doc.doc_number}, reason=opinion)
    return locked


LEGAL_REVIEW_DOC_TYPE = "legal_review_opinion"


def _legal_review_content(case):
    from yifa.documents.content import Block, OfficialContent

    result = case.get_legal_review_result_display()
    amount = f"罚款 {case.amount} 元" if case.amount is not None else "—"
    body = [
        Block("paragraph", f"承办人{case.handler or ''}报送的{case.case_no}《{case.title}》一案，拟作出的行政执法决定属于应当进行法制审核的情形。"
                           "根据《中华人民共和国行政处罚法》第五十八条，本机构对该案进行了法制审核，意见如下："),
        Block("heading1", "一、案件基本情况"),
        Block("table", rows=[["项目", "内容"], ["案号", case.case_no], ["案由", case.title],
                             ["执法事项", case.item.name], ["拟处罚种类", case.get_sanction_display() or "—"],
                             ["拟罚款金额", amount], ["法律依据", (case.item.legal_basis or "—")[:300]]]),
        Block("heading1", "二、审核结论"),
        Block("paragraph", f"审核结论：{result}。"),
        Block("heading1", "三、审核意见"),
        Block("paragraph", case.legal_review_opinion),
    ]
    return OfficialContent(issuer=case.org.name, title=f"关于{case.title}一案的重大执法决定法制审核意见书",
                           body=body, addressee=case.org.name, signature=case.org.name, date=case.legal_review_on)


def issue_legal_review_opinion(*, actor, case):
    """The numbered 重大执法决定法制审核意见书 (docx + pdf) of the review just recorded,
    issued by the case's unit through the documents app, owned by the case."""
    from yifa.documents.services import issue_document

    return issue_document(actor=actor, org=case.org, doc_type=LEGAL_REVIEW_DOC_TYPE, owner=case,
                          content=_legal_review_content(case))


def suspend_rule(case, rule_code, *, actor, on, reason):
    for d in deadlines_for_owner(case).filter(rule__code=rule_code, state__in=ACTIVE_STATES):
        if d.rule.suspensions_apply and d.start < on <= d.due:
            deadline_services.suspend(actor=None, deadline=d, on=on, reason=reason)


def resume_rule(case, rule_code, *, actor, on):
    for d in deadlines_for_owner(case).filter(rule__code=rule_code, state=DeadlineState.SUSPENDED):
        deadline_services.resume(actor=None, deadline=d, on=on, reason="恢复计算")


@transaction.atomic
def extend_case_deadline(*, actor, case, rule_code, approver, reason, on=None) -> Case:
    """Extend a case's deadline where the rule allows (approver recorded by the deadlines app)."""
    _check_org(actor, case.org)
    d = deadlines_for_owner(case).filter(rule__code=rule_code, state__in=ACTIVE_STATES).first()
    if d is None:
        raise DomainError(f"该案件没有进行中的“{label(rule_code, 'rule')}”期限。")
    deadline_services.extend(actor=actor, deadline=d, approver=approver, reason=reason, on=on)
    refresh_monitoring(case, actor=actor, on=on or clock.today())
    return case


def _month(day: date) -> date:
    return day.replace(day=1)


# publicity is tracked (and warned) on its own; payment is the party's period, not the unit's
NOT_THE_UNITS_DEADLINES = ("penalty.publicity", "permit.publicity", "enforcement.publicity", "penalty.payment",
                           "penalty.publicity_withdraw")


def refresh_monitoring(case, *, actor=None, on=None, rollup=True):
    """Copy the nearest active deadline onto the case (the board's indexed columns); on
    closing, fix the on-time flag and bump the unit's monthly rollup. The board's open-load
    rollup gets the case's before/after delta (`rollup=False`: the caller applies it)."""
    load_before = load_contribution(case.pk) if rollup else None
    active = list(deadlines_for_owner(case).filter(state__in=ACTIVE_STATES).order_by("due"))
    was_open = Case.objects.filter(pk=case.pk).values_list("is_open", flat=True).first()
    case.is_open = case.state not in TERMINAL_STATES
    first = active[0] if active and case.is_open else None
    case.due = first.due if first else None
    case.yellow_from = first.yellow_from if first else None
    case.due_rule = first.rule.code if first else ""
    case.due_provisional = bool(first and first.provisional)
    fields = ["is_open", "due", "yellow_from", "due_rule", "due_provisional"]
    if was_open and not case.is_open:
        missed = deadlines_for_owner(case).filter(state=DeadlineState.MISSED).exclude(
            rule__code__in=NOT_THE_UNITS_DEADLINES).exists()
        case.on_time = not missed
        fields.append("on_time")
        bump_rollup(case.org_id, case.closed_on or on or clock.today(), case.on_time)
    # updated_at too: the sweep's changed-only passes (online rules, dashboard rollups) look
    # at the cases saved since their last pass, and this is a save of the case
    Case.objects.filter(pk=case.pk).update(**{f: getattr(case, f) for f in fields}, updated_at=timezone.now())
    if rollup:
        apply_load_delta(load_before, load_contribution(case.pk))


def bump_rollup(org_id, day, on_time: bool):
    row, _ = OnTimeRollup.objects.get_or_create(org_id=org_id, month=_month(day))
    OnTimeRollup.objects.filter(pk=row.pk).update(closed=F("closed") + 1, on_time=F("on_time") + int(bool(on_time)))


@transaction.atomic
def rebuild_rollup() -> int:
    """Recompute the on-time rollup from the cases (a repair command, not the board's path)."""
    from django.db.models import Count, Q
    from django.db.models.functions import TruncMonth

    OnTimeRollup.objects.all().delete()
    rows = (Case.objects.filter(is_open=False, closed_on__isnull=False, on_time__isnull=False)
            .annotate(m=TruncMonth("closed_on")).values("org_id", "m")
            .annotate(closed=Count("id"), on_time=Count("id", filter=Q(on_time=True))))
    objs = [OnTimeRollup(org_id=r["org_id"], month=r["m"], closed=r["closed"], on_time=r["on_time"]) for r in rows]
    OnTimeRollup.objects.bulk_create(objs, batch_size=1000)
    rebuild_open_load()
    return len(objs)


# --- the board's open-load rollup ---------------------------------------------------------

def load_as_of() -> date:
    """The day the rollup's red/yellow are computed for (created as today if missing)."""
    row = OpenLoadAsOf.objects.filter(pk=1).values_list("day", flat=True).first()
    if row is None:  # first use on a database that already has cases: count them all once
        row = clock.today()
        rebuild_open_load(row)
    return row


def due_state(due, yellow_from, day) -> str:
    """正常/临期/超期 of an open case on `day` (the same terms as CaseQuerySet.red/yellow)."""
    if due is not None and due < day:
        return "red"
    if yellow_from is not None and due is not None and yellow_from <= day <= due:
        return "yellow"
    return "normal"


def load_contribution(case_id, day: date | None = None) -> dict:
    """{(dim, org_id, key): state} of one case as it is in the database now: empty when the
    case is closed (or does not exist)."""
    row = (Case.objects.filter(pk=case_id, is_open=True)
           .values_list("org_id", "handler_id", "item_id", "due", "yellow_from").first())
    if row is None:
        return {}
    org_id, handler_id, item_id, due, yellow_from = row
    state = due_state(due, yellow_from, day or load_as_of())
    out = {(LoadDimension.ORG, org_id, org_id): state, (LoadDimension.HANDLER, org_id, handler_id or 0): state,
           (LoadDimension.ITEM, org_id, item_id): state}
    for officer_id in Case.officers.through.objects.filter(case_id=case_id).values_list("officer_id", flat=True):
        out[(LoadDimension.OFFICER, org_id, officer_id)] = state
    return out


def apply_load_delta(before: dict, after: dict) -> None:
    """Move the case's counts from `before` to `after` (each {(dim, org, key): state})."""
    deltas = {}
    for sign, contrib in ((-1, before), (1, after)):
        for key, state in contrib.items():
            d = deltas.setdefault(key, {"total": 0, "red": 0, "yellow": 0})
            d["total"] += sign
            if state in ("red", "yellow"):
                d[state] += sign
    for (dim, org_id, key), d in deltas.items():
        if not any(d.values()):
            continue
        row = OpenLoadRollup.objects.filter(dim=dim, org_id=org_id, key=key)
        change = {"total": F("total") + d["total"], "red": F("red") + d["red"], "yellow": F("yellow") + d["yellow"]}
        if row.update(**change):
            continue
        try:
            with transaction.atomic():  # a concurrent first case of the same unit/key may create it first
                OpenLoadRollup.objects.create(dim=dim, org_id=org_id, key=key, **d)
        except IntegrityError:
            row.update(**change)


def apply_load_deltas(deltas: dict) -> int:
    """Bulk form of `apply_load_delta`: {(dim, org_id, key): {total, red, yellow}} added to
    the board's rollup in one upsert statement, however many cases the deltas sum up (a
    bulk import applies its whole batch at once). Returns the number of keys touched."""
    from django.db import connection

    rows = [(dim, org_id, key, d["total"], d["red"], d["yellow"]) for (dim, org_id, key), d in deltas.items()
            if any(d.values())]
    if not rows:
        return 0
    qn = connection.ops.quote_name
    t = qn(OpenLoadRollup._meta.db_table)
    cols = ", ".join(qn(c) for c in ("dim", "org_id", "key", "total", "red", "yellow"))
    sets = ", ".join(f"{qn(c)} = {t}.{qn(c)} + excluded.{qn(c)}" for c in ("total", "red", "yellow"))
    with connection.cursor() as cur:
        cur.executemany(f"INSERT INTO {t} ({cols}) VALUES (%s, %s, %s, %s, %s, %s) "
                        f"ON CONFLICT ({qn('dim')}, {qn('org_id')}, {qn('key')}) DO UPDATE SET {sets}", rows)
    return len(rows)


@transaction.atomic
def rebuild_open_load(day: date | None = None, *, force: bool = True) -> int:
    """Recompute the board's rollup from the open cases (partial indexes on is_open) for
    `day`: run by the daily sweep (red/yellow move with the date) and after bulk loads.
    The day row is locked first, so two requests arriving together rebuild once
    (`force=False`: nothing to do if the rollup is already for `day`). Then the rollup
    table itself: a case written meanwhile (its delta is applied in its own transaction)
    is waited for and counted, and later writers wait for the rebuild — without it the
    rebuild failed on a row such a writer created, or lost its counts."""
    from django.db.models import Count, Q

    from yifa.core.db.locks import hold_writers

    day = day or clock.today()
    OpenLoadAsOf.objects.get_or_create(pk=1, defaults={"day": day})
    state = OpenLoadAsOf.objects.select_for_update(of=("self",)).get(pk=1)
    if not force and state.day == day and OpenLoadRollup.objects.exists():
        return 0
    hold_writers(OpenLoadRollup)  # the board's reads go on
    OpenLoadRollup.objects.all().delete()
    OpenLoadAsOf.objects.filter(pk=1).update(day=day)
    red = Q(due__lt=day)
    yellow = Q(yellow_from__lte=day, due__gte=day)
    open_cases = Case.objects.filter(is_open=True).order_by()
    objs = []
    for dim, field in ((LoadDimension.ORG, "org_id"), (LoadDimension.HANDLER, "handler_id"),
                       (LoadDimension.ITEM, "item_id")):
        for r in open_cases.values("org_id", field).annotate(
                total=Count("id"), red=Count("id", filter=red), yellow=Count("id", filter=yellow)):
            objs.append(OpenLoadRollup(dim=dim, org_id=r["org_id"], key=r[field] or 0, total=r["total"],
                                       red=r["red"], yellow=r["yellow"]))
    through = Case.officers.through.objects.filter(case__is_open=True).order_by()
    for r in through.values("case__org_id", "officer_id").annotate(
            total=Count("case_id"), red=Count("case_id", filter=Q(case__due__lt=day)),
            yellow=Count("case_id", filter=Q(case__yellow_from__lte=day, case__due__gte=day))):
        objs.append(OpenLoadRollup(dim=LoadDimension.OFFICER, org_id=r["case__org_id"], key=r["officer_id"],
                                   total=r["total"], red=r["red"], yellow=r["yellow"]))
    OpenLoadRollup.objects.bulk_create(objs, batch_size=1000)
    return len(objs)


# --- publicity -------------------------------------------------------------------------

def _publicity_deadline(case, code):
    return deadlines_for_owner(case).filter(rule__code=code, state__in=(*ACTIVE_STATES, DeadlineState.SUSPENDED)).first()


@transaction.atomic
def publish(*, actor, case, on=None, text="") -> Case:
    """公示 a decision on the public page (personal data masked there)."""
    from .masking import masked_party

    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    _check_org(actor, locked.org)
    if locked.decided_on is None:
        raise DomainError("尚未作出决定，不能公示。")
    if locked.decision_change == "annulled":
        raise DomainError("该决定已被撤销，不能公示。")
    republish = locked.publicity_state == PublicityState.WITHDRAWN and locked.decision_change == "changed"
    if locked.publicity_state not in (PublicityState.PENDING, PublicityState.NONE) and not republish:
        raise DomainError(f"公示状态为“{locked.get_publicity_state_display()}”，不能再次公示。")
    on = on or clock.today()
    masked = masked_party(locked)
    locked.publicity_text = text or (
        f"{locked.org.name}对{masked['party_name']}作出行政处理决定：{locked.title}。"
        f"{('罚款 ' + str(locked.amount) + ' 元。') if locked.amount else ''}依据：{locked.item.legal_basis[:200]}")
    before = {"publicity_state": locked.publicity_state}
    locked.publicity_state = PublicityState.PUBLISHED
    locked.published_on = on
    locked.version += 1
    locked.save()
    for code in ("penalty.publicity", "permit.publicity", "enforcement.publicity"):
        d = _publicity_deadline(locked, code)
        if d is not None:
            deadline_services.close_deadline(actor=None, deadline=d, met_on=on)
    record(actor, "case.publish", locked, before=before, after={"publicity_state": "published", "published_on": on})
    return locked


@transaction.atomic
def request_withdrawal(*, actor, case, reason, on=None) -> Case:
    """The decision was changed or annulled: the publicity must be withdrawn within 3 WD."""
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    _check_org(actor, locked.org)
    if locked.publicity_state != PublicityState.PUBLISHED:
        raise DomainError("只有已公示的决定可以撤回。")
    if not (reason or "").strip():
        raise DomainError("请填写撤回原因（决定被变更、撤销或确认违法等）。", {"reason": ["必填"]})
    on = on or clock.today()
    locked.version += 1
    locked.save()
    start_withdrawal(locked, actor=actor, reason=reason, on=on)
    return locked


def start_withdrawal(case, *, actor, reason, on):
    """Publicity → 待撤回, with the 3-working-day penalty.publicity_withdraw deadline (also
    called when a decision is changed or annulled through the transition table)."""
    case.publicity_state = PublicityState.WITHDRAWING
    case.save(update_fields=["publicity_state"])
    deadline_services.start_deadline(actor=None, owner=case, rule_code="penalty.publicity_withdraw", start=on,
                                     org=case.org, handler=case.handler, title=f"{case.case_no} 撤回公示")
    record(actor, "case.publicity_withdraw_requested", case, before={"publicity_state": "published"},
           after={"publicity_state": "withdrawing"}, reason=reason)


@transaction.atomic
def withdraw(*, actor, case, on=None, reason="") -> Case:
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    _check_org(actor, locked.org)
    if locked.publicity_state not in (PublicityState.WITHDRAWING, PublicityState.PUBLISHED):
        raise DomainError("该决定未公示，无需撤回。")
    on = on or clock.today()
    before = {"publicity_state": locked.publicity_state}
    locked.publicity_state = PublicityState.WITHDRAWN
    locked.withdrawn_on = on
    locked.version += 1
    locked.save()
    d = _publicity_deadline(locked, "penalty.publicity_withdraw")
    if d is not None:
        deadline_services.close_deadline(actor=None, deadline=d, met_on=on)
    record(actor, "case.publicity_withdraw", locked, before=before, after={"publicity_state": "withdrawn"},
           reason=reason)
    return locked


# --- full-process records --------------------------------------------------------------

# what each accepted kind of file is as a full-process record
NATURAL_KIND = {"jpeg": RecordKind.PHOTO, "png": RecordKind.PHOTO, "pdf": RecordKind.DOCUMENT,
                "docx": RecordKind.DOCUMENT, "mp3": RecordKind.AUDIO, "wav": RecordKind.AUDIO,
                "mp4": RecordKind.VIDEO}


def hash_file(f) -> str:
    from yifa.core.uploads import sm3_file

    return sm3_file(f)


@transaction.atomic
def add_record(*, actor, case, upload, kind: str = "", description: str = "") -> ProcessRecord:
    """Attach evidence to the case's current step: size limit, type by content, SM3 at upload."""
    from yifa.core.uploads import check_upload

    _check_org(actor, case.org)
    checked = check_upload(upload, kinds=tuple(NATURAL_KIND), max_bytes=rules.max_upload_bytes())
    ctype, natural, digest = checked.content_type, NATURAL_KIND[checked.kind.code], checked.sm3
    rec = ProcessRecord(case=case, org=case.org, step=case.state, kind=kind or natural, content_type=ctype,
                        size=checked.size, sm3=digest, description=description,
                        original_name=checked.name, uploaded_by=actor)
    rec.file.save(f"{case.pk}-{digest[:16]}{os.path.splitext(checked.name)[1].lower()}", upload, save=False)
    rec.save()
    record(actor, "case.record_add", case, after={"record": rec.pk, "kind": rec.kind, "size": rec.size,
                                                  "sm3": digest, "name": rec.original_name, "step": rec.step})
    return rec


def verify_record(rec: ProcessRecord) -> bool:
    with rec.file.open("rb") as f:
        return hash_file(f) == rec.sm3


# --- 三项制度: 事前公开 and 事中 showing of certificates ------------------------------------------

@transaction.atomic
def record_certificate_shown(*, actor, case, on: date | None = None, expected_version=None) -> Case:
    """事中公示: the officers showed their enforcement certificates to the party at the case's
    on-site step (调查/检查). The day lies between filing and today."""
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    _check_org(actor, case.org)
    _check_version(case, expected_version)
    on = on or clock.today()
    if on > clock.today():
        raise DomainError("出示执法证件的日期不能晚于今天。", {"on": ["不能晚于今天"]})
    if on < case.filed_on:
        raise DomainError("出示执法证件的日期不能早于立案（受理）日期。", {"on": ["不能早于立案日期"]})
    before = {"certificate_shown": case.certificate_shown, "certificate_shown_on": case.certificate_shown_on}
    case.certificate_shown, case.certificate_shown_on = True, on
    case.version += 1
    case.save(update_fields=["certificate_shown", "certificate_shown_on", "version", "updated_at"])
    record(actor, "case.certificate_shown", case, before=before,
           after={"certificate_shown": True, "certificate_shown_on": on})
    return case


@transaction.atomic
def record_prior_disclosure(*, actor, org, published_on: date, items: bool, bases: bool, procedures: bool,
                            url: str = ""):
    """事前公开: the unit's enforcement items, bases and procedures published (one record per
    unit, updated on each publication)."""
    from .models import PriorDisclosure

    if org is None:
        raise DomainError("请选择执法单位。", {"org": ["必填"]})
    _check_org(actor, org, LIBRARY_WRITERS)
    if not published_on:
        raise DomainError("请填写公开日期。", {"published_on": ["必填"]})
    if published_on > clock.today():
        raise DomainError("公开日期不能晚于今天（公开后登记）。", {"published_on": ["不能晚于今天"]})
    if not (items or bases or procedures):
        raise DomainError("请至少勾选一项已公开的内容（执法事项、执法依据、执法程序）。", {"items": ["请勾选"]})
    if len(url or "") > 300:
        raise DomainError("公开网址过长。", {"url": ["不超过300字"]})
    rec = PriorDisclosure.objects.select_for_update().filter(org=org).first()
    before = None
    if rec is None:
        rec = PriorDisclosure(org=org)
    else:
        before = {"items": rec.items_published, "bases": rec.bases_published, "procedures": rec.procedures_published,
                  "published_on": rec.published_on, "url": rec.url}
        rec.version += 1
    rec.items_published, rec.bases_published, rec.procedures_published = bool(items), bool(bases), bool(procedures)
    rec.published_on, rec.url = published_on, (url or "").strip()
    rec.save()
    record(actor, "prior_disclosure.record", rec, before=before,
           after={"items": rec.items_published, "bases": rec.bases_published, "procedures": rec.procedures_published,
                  "published_on": published_on, "url": rec.url})
    _publish_changes(actor, rec)
    return rec


def _publish_changes(actor, disclosure) -> int:
    """The unit's changes not yet published, made on or before this publication and covered
    by what it publishes, are published now: their deadlines close (按期 or 超期)."""
    from .models import DISCLOSURE_CHANGE_RULE, DisclosureChange

    n = 0
    pending = (DisclosureChange.objects.select_for_update().filter(org=disclosure.org, published_on__isnull=True,
                                                                   changed_on__lte=disclosure.published_on))
    for change in pending:
        if not change.covered_by(disclosure):
            continue
        change.published_on = disclosure.published_on
        change.version += 1
        change.save(update_fields=["published_on", "version"])
        for d in deadlines_for_owner(change).filter(rule__code=DISCLOSURE_CHANGE_RULE, state__in=ACTIVE_STATES):
            deadline_services.close_deadline(actor=None, deadline=d, met_on=disclosure.published_on)
        record(actor, "disclosure_change.published", change, before={"published_on": None},
               after={"published_on": disclosure.published_on})
        n += 1
    return n


@transaction.atomic
def record_disclosure_change(*, actor, org, changed_on: date, items: bool, bases: bool, procedures: bool,
                             description: str):
    """A change of the unit's enforcement items, bases or procedures: the 事前公开 must be
    updated within `enforcement.disclosure_change` (20 WD, 政府信息公开条例 art. 26), whose
    tracked deadline starts here from the change date. Recording the publication
    (`record_prior_disclosure`) closes it."""
    from .models import DISCLOSURE_CHANGE_RULE, DisclosureChange

    if org is None:
        raise DomainError("请选择执法单位。", {"org": ["必填"]})
    _check_org(actor, org, LIBRARY_WRITERS)
    if not changed_on:
        raise DomainError("请填写变更日期。", {"changed_on": ["必填"]})
    if changed_on > clock.today():
        raise DomainError("变更日期不能晚于今天（变更后登记）。", {"changed_on": ["不能晚于今天"]})
    if not (items or bases or procedures):
        raise DomainError("请至少勾选一项变更的内容（执法事项、执法依据、执法程序）。", {"items": ["请勾选"]})
    description = (description or "").strip()
    if not description:
        raise DomainError("请填写变更内容。", {"description": ["必填"]})
    if len(description) > 500:
        raise DomainError("变更内容过长。", {"description": ["不超过500字"]})
    change = DisclosureChange.objects.create(org=org, changed_on=changed_on, items_changed=bool(items),
                                             bases_changed=bool(bases), procedures_changed=bool(procedures),
                                             description=description, created_by=actor)
    d = deadline_services.start_deadline(actor=None, owner=change, rule_code=DISCLOSURE_CHANGE_RULE,
                                         start=changed_on, org=org, title=f"更新事前公开：{description}"[:200])
    change.due, change.due_provisional = d.due, d.provisional
    change.save(update_fields=["due", "due_provisional"])
    record(actor, "disclosure_change.record", change,
           after={"changed_on": changed_on, "what": change.what, "description": description, "due": d.due})
    return change
