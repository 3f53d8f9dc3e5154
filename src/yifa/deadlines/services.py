"""Every write of the deadlines app: keyword-only `actor`, atomic, audited.

Other modules' workflows call `start_deadline` / `close_deadline` / `suspend` / `resume`
/ `extend`; administrators call the holiday and override services.
"""

import csv
import io
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from django.apps import apps
from django.urls import reverse

from yifa.core import clock
from yifa.audit.services import record
from yifa.core.errors import DomainError, IllegalTransition
from yifa.core.import_reports import errors_text, row_error
from yifa.core.services import notify
from yifa.orgs.models import Role

from . import engine
from .models import (ACTIVE_STATES, CLOSED_STATES, DeadlineExtension, DeadlineRule, DeadlineRuleOverride,
                     DeadlineState, DeadlineSuspension, Direction, HolidayDay, HolidayKind, HolidayYear,
                     TrackedDeadline)
from .signals import deadline_rescheduled
from .words import due_text

KIND_ALIASES = {
    "holiday": HolidayKind.HOLIDAY, "休": HolidayKind.HOLIDAY, "假": HolidayKind.HOLIDAY,
    "法定节假日": HolidayKind.HOLIDAY, "节假日": HolidayKind.HOLIDAY,
    "makeup_workday": HolidayKind.MAKEUP_WORKDAY, "workday": HolidayKind.MAKEUP_WORKDAY,
    "班": HolidayKind.MAKEUP_WORKDAY, "调休上班": HolidayKind.MAKEUP_WORKDAY, "上班": HolidayKind.MAKEUP_WORKDAY,
}
LOCAL_SOURCE = "本地"


def _require_admin(actor):
    if actor is not None and not actor.has_role(Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以维护节假日和期限规则。")


def _calendar_changed():
    engine.invalidate_calendar_cache()
    transaction.on_commit(engine.invalidate_calendar_cache)


# --- holidays -------------------------------------------------------------------------

class HolidayImportError(DomainError):
    """An import refused as a whole: `errors` are row errors ({row, field, message}, as
    `core.import_reports.row_error` makes them), the message names the first ones."""

    code = "holiday_import_refused"

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__("节假日数据未导入（全部撤销）：" + errors_text(errors), fields={"rows": errors})


def parse_holiday_csv(text: str, *, default_source: str = LOCAL_SOURCE) -> tuple[list[dict], list[dict]]:
    """CSV lines `date,kind,name[,source]` (header optional) → rows and row errors."""
    rows, errors = [], []
    for lineno, cells in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        cells = [c.strip() for c in cells]
        if not cells or not any(cells) or cells[0].startswith("#"):
            continue
        if lineno == 1 and cells[0].lower() == "date":
            continue
        if len(cells) < 3:
            errors.append(row_error(lineno, "", "应为“日期,类型,名称[,来源]”"))
            continue
        try:
            day = date.fromisoformat(cells[0])
        except ValueError:
            errors.append(row_error(lineno, "日期", f"日期“{cells[0]}”格式应为 YYYY-MM-DD"))
            continue
        kind = KIND_ALIASES.get(cells[1].lower() if cells[1].isascii() else cells[1])
        if kind is None:
            errors.append(row_error(lineno, "类型", f"类型“{cells[1]}”应为 holiday（休）或 makeup_workday（班）"))
            continue
        source = cells[3] if len(cells) > 3 and cells[3] else default_source
        rows.append({"date": day, "kind": kind, "name": cells[2], "source": source, "line": lineno})
    return rows, errors


def _validate_days(rows: list[dict]) -> list[dict]:
    """Row errors of days to add (a row's `line` is its line in an imported file, if any)."""
    errors, seen = [], {}
    existing = {
        h.date: h for h in HolidayDay.objects.filter(date__in=[r["date"] for r in rows])
    }
    for r in rows:
        line = r.get("line") or 0
        d = r["date"]
        if d in seen:
            errors.append(row_error(line, "日期", f"{d}：与第 {seen[d]} 行重复"))
            continue
        seen[d] = r.get("line") or "?"
        if d in existing:
            h = existing[d]
            same = h.kind == r["kind"]
            errors.append(row_error(line, "日期", f"{d}：已有记录（{h.name or h.get_kind_display()}，{h.get_kind_display()}），"
                                    + ("不能重复录入" if same else "与本次录入的类型冲突")))
            continue
        if r["kind"] == HolidayKind.MAKEUP_WORKDAY and d.weekday() < 5:
            errors.append(row_error(line, "类型", f"{d}：调休上班日必须是周六或周日（该日为工作日）"))
        if not r["name"]:
            errors.append(row_error(line, "名称", f"{d}：请填写名称（如 国庆节）"))
        if not 1949 < d.year < 2200:
            errors.append(row_error(line, "日期", f"{d}：年份超出范围"))
    return errors


class RecomputedList(list):
    """The created days, with `recompute`: the counts of the provisional recomputation."""

    recompute = None


class NoMakeupDaysWarning(DomainError):
    """Marking a year complete that has no make-up working day: the State Council's notice
    always has some, so the administrator must confirm (nothing is written until then)."""

    code = "holiday_no_makeup_days"

    def __init__(self, years):
        self.years = sorted(years)
        names = "、".join(f"{y} 年" for y in self.years)
        super().__init__(f"{names}没有任何调休上班日。国务院办公厅的放假通知通常都有调休上班日，请核对通知；"
                         "确认无误后勾选“确认该年度没有调休上班日”再标记完整。",
                         fields={"confirm_no_makeup": "请确认该年度没有调休上班日"})


def _check_makeup_days(years, rows=(), *, confirmed: bool) -> None:
    if confirmed or not years:
        return
    have = set(HolidayDay.objects.filter(year__in=years, kind=HolidayKind.MAKEUP_WORKDAY)
               .values_list("year", flat=True).distinct())
    have |= {r["date"].year for r in rows if r["kind"] == HolidayKind.MAKEUP_WORKDAY}
    missing = [y for y in years if y not in have]
    if missing:
        raise NoMakeupDaysWarning(missing)


@transaction.atomic
def add_holiday_days(*, actor, rows: list[dict], complete_years=(), year_source: str = "",
                     confirm_no_makeup: bool = False) -> list[HolidayDay]:
    """Add days (all or nothing). `rows`: dicts with date, kind, name, source. Years in
    `complete_years` are marked complete afterwards and every provisional deadline waiting
    for them is recomputed. Duplicates and conflicts refuse the whole batch with one
    message per problem; a year to be marked complete without any make-up working day is
    refused with a warning unless `confirm_no_makeup`."""
    _require_admin(actor)
    errors = _validate_days(rows)
    if errors:
        raise HolidayImportError(errors)
    complete_set = {int(y) for y in complete_years}
    _check_makeup_days(sorted(complete_set), rows, confirmed=confirm_no_makeup)
    created = HolidayDay.objects.bulk_create([
        HolidayDay(date=r["date"], kind=r["kind"], name=r["name"], year=r["date"].year,
                   source=r.get("source") or LOCAL_SOURCE)
        for r in sorted(rows, key=lambda r: r["date"])
    ])
    by_year: dict[int, list[HolidayDay]] = {}
    for h in created:
        by_year.setdefault(h.year, []).append(h)
    for year in sorted(set(by_year) | {int(y) for y in complete_years}):
        days = by_year.get(year, [])
        source = year_source or (days[0].source if days else LOCAL_SOURCE)
        hy, was_created = HolidayYear.objects.select_for_update(of=("self",)).get_or_create(
            year=year, defaults={"complete": False, "source": source})
        before = {"complete": hy.complete, "source": hy.source} if not was_created else None
        if year in {int(y) for y in complete_years}:
            hy.complete = True
        hy.save()
        record(actor, "holidays.import", hy, before=before,
               after={"complete": hy.complete, "source": hy.source,
                      "added": [{"date": h.date, "kind": h.kind, "name": h.name, "source": h.source} for h in days]})
    _calendar_changed()
    created = RecomputedList(created)
    if complete_set:
        created.recompute = recompute_provisional(actor=actor)
    return created


def import_holiday_csv(*, actor, text: str, complete: bool = False, source: str = "",
                       confirm_no_makeup: bool = False) -> list[HolidayDay]:
    rows, errors = parse_holiday_csv(text, default_source=source or LOCAL_SOURCE)
    if errors:
        raise HolidayImportError(errors)
    if not rows:
        raise HolidayImportError([row_error(0, "", "文件中没有节假日数据")])
    years = sorted({r["date"].year for r in rows}) if complete else ()
    return add_holiday_days(actor=actor, rows=rows, complete_years=years, year_source=source,
                            confirm_no_makeup=confirm_no_makeup)


@transaction.atomic
def set_year_complete(*, actor, year: int, complete: bool = True, source: str = "",
                      confirm_no_makeup: bool = False) -> HolidayYear:
    """Mark a year complete (then recompute the provisional deadlines) or incomplete."""
    _require_admin(actor)
    if complete:
        _check_makeup_days([year], confirmed=confirm_no_makeup)
    hy = HolidayYear.objects.select_for_update(of=("self",)).filter(year=year).first()
    if hy is None:
        if not HolidayDay.objects.filter(year=year).exists():
            raise DomainError(f"{year} 年还没有录入任何节假日，不能标记为完整。", fields={"year": "请先录入节假日。"})
        hy = HolidayYear(year=year, source=source or LOCAL_SOURCE)
    before = {"complete": hy.complete, "source": hy.source} if hy.pk else None
    hy.complete = complete
    if source:
        hy.source = source
    hy.save()
    record(actor, "holidays.complete" if complete else "holidays.incomplete", hy, before=before,
           after={"complete": hy.complete, "source": hy.source})
    _calendar_changed()
    if complete:
        hy.recompute = recompute_provisional(actor=actor)
    return hy


# --- rule overrides ------------------------------------------------------------------

@transaction.atomic
def set_rule_override(*, actor, rule: DeadlineRule, org, n: int, basis: str) -> DeadlineRuleOverride:
    _require_admin(actor)
    if actor is not None and not org.path.startswith(actor.scope_root.path):
        raise PermissionDenied("该单位不在您的管理范围内。")
    if not basis or not basis.strip():
        raise DomainError("请填写特别规定的依据。", fields={"basis": "必填"})
    if n is None or int(n) <= 0:
        raise DomainError("期限必须为正整数。", fields={"n": "必须为正整数"})
    override = DeadlineRuleOverride.objects.select_for_update(of=("self",)).filter(rule=rule, org=org).first()
    before = {"n": override.n, "basis": override.basis} if override else None
    if override is None:
        override = DeadlineRuleOverride(rule=rule, org=org)
    override.n, override.basis = int(n), basis.strip()
    override.save()
    record(actor, "deadline_rule.override", override, before=before,
           after={"rule": rule.code, "org": org.pk, "n": override.n, "basis": override.basis})
    return override


@transaction.atomic
def delete_rule_override(*, actor, override: DeadlineRuleOverride, reason: str = "") -> None:
    _require_admin(actor)
    record(actor, "deadline_rule.override_delete", override,
           before={"rule": override.rule.code, "org": override.org_id, "n": override.n, "basis": override.basis},
           reason=reason)
    override.delete()


# --- tracked deadlines ---------------------------------------------------------------

SNAPSHOT_FIELDS = ("owner_type", "owner_id", "org_id", "handler_id", "title", "start", "n", "unit", "due",
                   "yellow_from", "provisional", "waiting_for_year", "citation", "state", "closed_on")


def _snapshot(d: TrackedDeadline) -> dict:
    out = {f: getattr(d, f) for f in SNAPSHOT_FIELDS}
    out["rule"] = d.rule.code
    return out


def _owner_key(owner) -> tuple[str, str]:
    if isinstance(owner, tuple):
        return str(owner[0]), str(owner[1])
    return owner._meta.label_lower, str(owner.pk)


def _compute(cal, **kwargs) -> engine.Due:
    return engine.compute_due(cal, yellow_working_days=settings.YIFA_YELLOW_WORKING_DAYS, **kwargs)


def _apply(d: TrackedDeadline, result: engine.Due) -> None:
    d.due, d.yellow_from = result.due, result.yellow_from
    d.provisional, d.waiting_for_year = result.provisional, result.waiting_for_year


def _check_actor(actor, deadline):
    if actor is not None:
        from yifa.core.scoping import is_visible

        if not is_visible(actor, deadline):
            raise PermissionDenied("该期限不在您的管理范围内。")


def _lock(deadline) -> TrackedDeadline:
    return TrackedDeadline.objects.select_for_update(of=("self",)).select_related("rule").get(pk=deadline.pk)


def _recompute(d: TrackedDeadline, *, until: date | None = None, cal: engine.Calendar | None = None) -> None:
    """Recompute due (and yellow_from) from start, stored N, extensions and suspensions.
    An open suspension counts up to the day before `until` when given."""
    ranges = []
    for s in d.suspensions.all():
        end = s.resumed_on or until
        if end is None:
            continue
        if end > s.first_day:
            ranges.append((s.first_day, end - timedelta(days=1)))
    total_n = d.n + sum(e.n for e in d.extensions.all())
    _apply(d, _compute(cal or engine.db_calendar(), start=d.start, n=total_n, unit=d.unit, direction=d.rule.direction,
                       suspensions=ranges))


def _guard(d: TrackedDeadline, action: str, allowed) -> None:
    if d.state not in allowed:
        raise IllegalTransition(f"期限当前状态为“{d.get_state_display()}”，不能{action}。")


@transaction.atomic
def start_deadline(*, actor, owner, rule_code: str, start: date, org, handler=None, title: str = "") -> TrackedDeadline:
    """Start tracking `rule_code` for `owner` (a model instance or an (owner_type, owner_id)
    pair) owned by unit `org`. Due and yellow_from come from the engine (with the unit's
    override). A span into a year whose holiday notice is not complete is never refused:
    the deadline is stored provisional, with the year it waits for, and recomputed when
    that year is marked complete."""
    rule = engine.get_rule(rule_code)
    if rule.direction == Direction.MIN:
        raise DomainError(f"“{rule.code}”是最短期限（不得早于），不能作为办理时限跟踪；请用计算器校验。",
                          fields={"rule": "最短期限规则不能跟踪"})
    if org is None:
        raise DomainError("请指定承办单位。", fields={"org": "必填"})
    if actor is not None:
        if not org.path.startswith(actor.scope_root.path):
            raise PermissionDenied("该单位不在您的管理范围内。")
    eff = engine.effective_rule(rule, org)
    result = _compute(engine.db_calendar(), start=start, n=eff.n, unit=eff.unit, direction=eff.direction)
    owner_type, owner_id = _owner_key(owner)
    d = TrackedDeadline(
        owner_type=owner_type, owner_id=owner_id, org=org, handler=handler, rule=rule,
        title=(title or f"{rule.name}")[:200], start=start, n=eff.n, unit=eff.unit,
        citation=eff.basis[:400], state=DeadlineState.OPEN,
    )
    _apply(d, result)
    d.save()
    record(actor, "deadline.start", d, after=_snapshot(d))
    return d


class DeadlinePlanner:
    """The bulk path of `start_deadline`: the values of the deadlines a bulk intake will
    start, computed before anything is written, then inserted set-based by
    `create_planned`. Rules are read once, each unit's override once per rule, and each
    (start, N) span is counted once: thousands of cases filed on the same few days cost a
    handful of engine calls, not one per case. The checks are `start_deadline`'s."""

    def __init__(self):
        self._rules: dict[str, DeadlineRule] = {}
        self._effective: dict = {}
        self._due: dict = {}
        self._cal = engine.db_calendar()

    def _rule(self, code: str) -> DeadlineRule:
        if code not in self._rules:
            rule = engine.get_rule(code)
            if rule.direction == Direction.MIN:
                raise DomainError(f"“{rule.code}”是最短期限（不得早于），不能作为办理时限跟踪；请用计算器校验。",
                                  fields={"rule": "最短期限规则不能跟踪"})
            self._rules[code] = rule
        return self._rules[code]

    def plan(self, *, rule_code: str, start: date, org) -> dict:
        """Field values of the TrackedDeadline `start_deadline` would create (without its
        owner, handler and title)."""
        rule = self._rule(rule_code)
        key = (rule_code, org.pk)
        if key not in self._effective:
            self._effective[key] = engine.effective_rule(rule, org)
        eff = self._effective[key]
        span = (start, eff.n, eff.unit, eff.direction)
        if span not in self._due:
            self._due[span] = _compute(self._cal, start=start, n=eff.n, unit=eff.unit, direction=eff.direction)
        result = self._due[span]
        return {"rule_id": rule.pk, "rule_code": rule.code, "start": start, "n": eff.n, "unit": eff.unit,
                "citation": eff.basis[:400], "due": result.due, "yellow_from": result.yellow_from,
                "provisional": result.provisional, "waiting_for_year": result.waiting_for_year}


def create_planned(*, owner_type: str, rows: list[dict]) -> int:
    """Insert planned deadlines (`DeadlinePlanner.plan` values plus owner_id, org_id,
    handler_id and title), all open, in one statement (COPY on PostgreSQL). Runs inside
    the caller's transaction; the caller's audit row of the owner names the deadline (a
    bulk intake writes one audit row per record it creates, not one per deadline)."""
    from yifa.core.db.bulk import insert_rows

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("create_planned() must run inside the caller's transaction")
    now = timezone.now()
    names = ("owner_type", "owner_id", "org_id", "handler_id", "rule_id", "title", "start", "n", "unit", "due",
             "yellow_from", "citation", "provisional", "waiting_for_year", "state", "closed_on", "closed_at",
             "created_at", "version")
    missing = {f.attname for f in TrackedDeadline._meta.concrete_fields if not f.primary_key} - set(names)
    if missing:  # a column added to the model must be filled here too
        raise RuntimeError(f"create_planned() does not fill {sorted(missing)}")
    fixed = {"owner_type": owner_type, "state": DeadlineState.OPEN, "closed_on": None, "closed_at": None,
             "created_at": now, "version": 1}
    out = []
    for r in rows:
        values = {**r, **fixed, "owner_id": str(r["owner_id"]), "title": r["title"][:200]}
        out.append(tuple(values.get(n) for n in names))
    return insert_rows(TrackedDeadline, list(names), out)


@transaction.atomic
def close_deadline(*, actor, deadline: TrackedDeadline, met_on: date, reason: str = "") -> TrackedDeadline:
    """Close: `met` if `met_on` ≤ due, else `missed`. Closing twice is an IllegalTransition."""
    d = _lock(deadline)
    _check_actor(actor, d)
    _guard(d, "办结", (*ACTIVE_STATES, DeadlineState.SUSPENDED))
    if met_on < d.start and d.rule.direction != Direction.BEFORE:
        raise DomainError("办结日不能早于起算日。", fields={"met_on": "不能早于起算日"})
    before = _snapshot(d)
    if d.state == DeadlineState.SUSPENDED:
        open_s = d.suspensions.filter(resumed_on__isnull=True).first()
        if open_s is not None:
            open_s.resumed_on = max(met_on, open_s.first_day)
            open_s.save(update_fields=["resumed_on"])
        _recompute(d)
    d.state = DeadlineState.MET if met_on <= d.due else DeadlineState.MISSED
    d.closed_on = met_on
    d.closed_at = timezone.now()
    d.version += 1
    d.save()
    record(actor, "deadline.close", d, before=before, after=_snapshot(d), reason=reason)
    return d


@transaction.atomic
def suspend(*, actor, deadline: TrackedDeadline, on: date, reason: str) -> TrackedDeadline:
    """Stop the clock from day `on` (inclusive), e.g. a hearing, testing or appraisal."""
    d = _lock(deadline)
    _check_actor(actor, d)
    _guard(d, "中止", ACTIVE_STATES)
    if not d.rule.suspensions_apply:
        raise DomainError(f"“{d.rule.name}”不适用中止（{d.rule.basis}）。")
    if not reason:
        raise DomainError("请填写中止事由。", fields={"reason": "必填"})
    if on <= d.start:
        raise DomainError("中止日必须晚于起算日。", fields={"on": "必须晚于起算日"})
    if on > d.due:
        raise DomainError("期限已届满，不能中止。", fields={"on": "晚于届满日"})
    before = _snapshot(d)
    DeadlineSuspension.objects.create(deadline=d, first_day=on, reason=reason, created_by=actor)
    d.state = DeadlineState.SUSPENDED
    d.version += 1
    d.save()
    record(actor, "deadline.suspend", d, before=before, after={**_snapshot(d), "suspended_from": on},
           reason=reason)
    return d


@transaction.atomic
def resume(*, actor, deadline: TrackedDeadline, on: date, reason: str = "") -> TrackedDeadline:
    """Restart the clock on day `on`: the days from the suspension up to `on - 1` are not
    counted, so the due date moves later by that much counted time."""
    d = _lock(deadline)
    _check_actor(actor, d)
    _guard(d, "恢复计算", (DeadlineState.SUSPENDED,))
    s = d.suspensions.filter(resumed_on__isnull=True).order_by("-id").first()
    if s is None:  # pragma: no cover — a suspended deadline always has an open suspension
        raise IllegalTransition("没有进行中的中止记录。")
    if on < s.first_day:
        raise DomainError("恢复日不能早于中止日。", fields={"on": "不能早于中止日"})
    before = _snapshot(d)
    s.resumed_on = on
    s.save(update_fields=["resumed_on"])
    _recompute(d)
    d.state = DeadlineState.EXTENDED if d.extensions.exists() else DeadlineState.OPEN
    d.version += 1
    d.save()
    record(actor, "deadline.resume", d, before=before, after=_snapshot(d), reason=reason)
    return d


@transaction.atomic
def extend(*, actor, deadline: TrackedDeadline, approver, reason: str, on: date | None = None) -> TrackedDeadline:
    """Extend by the rule's extension period, only where the rule allows it, with the
    approving person recorded (e.g. 行政许可法 art. 42: 经本行政机关负责人批准)."""
    d = _lock(deadline)
    _check_actor(actor, d)
    _guard(d, "延长", ACTIVE_STATES)
    rule = d.rule
    if not rule.extensions_allowed or not rule.extension_n:
        raise DomainError(f"规则“{rule.code}”不允许延长（{rule.basis}）。")
    if d.extensions.count() >= rule.extensions_allowed:
        raise DomainError(f"规则“{rule.code}”最多可延长 {rule.extensions_allowed} 次，已用完。")
    if approver is None:
        raise DomainError("延长期限须经批准，请指定批准人。", fields={"approver": "必填"})
    if not approver.is_active or not d.org.path.startswith(approver.scope_root.path):
        raise DomainError("批准人须为本单位或上级单位的在职人员。", fields={"approver": "批准人无权批准"})
    if not reason or not reason.strip():
        raise DomainError("请填写延长理由。", fields={"reason": "必填"})
    today = on or clock.today()
    if today > d.due:
        raise DomainError("期限已届满，不能再延长。", fields={"on": "晚于届满日"})
    before = _snapshot(d)
    ext = DeadlineExtension.objects.create(deadline=d, n=rule.extension_n, approver=approver, reason=reason.strip(),
                                           created_by=actor)
    _recompute(d)
    d.state = DeadlineState.EXTENDED
    d.version += 1
    d.save()
    record(actor, "deadline.extend", d, before=before,
           after={**_snapshot(d), "extension_n": ext.n, "approver": approver.pk}, reason=reason)
    return d


# --- years without a notice -----------------------------------------------------------

RECOMPUTE_BATCH = 500


def _recompute_message(d: TrackedDeadline, old_due: date, year: int) -> tuple[str, str]:
    """The handler's notice of a moved date: old (provisional) → new, and the year entered."""
    title = f"期限届满日已按放假安排更正：{d.title}"[:200]
    body = (f"{d.org.name}：{d.rule.name}的届满日由 {old_due:%Y-%m-%d}（暂定）更正为 {due_text(d)}"
            f"（{year} 年放假安排已录入）。依据：{d.citation}")
    return title, body


def _mirror_due(d: TrackedDeadline) -> None:
    """Update the copy of the due date kept by an owner that mirrors this deadline's rule."""
    try:
        model = apps.get_model(d.owner_type)
    except (LookupError, ValueError):
        return
    if getattr(model, "mirrored_deadline_rule", None) == d.rule.code:
        model._default_manager.filter(pk=d.owner_id).update(due=d.due, due_provisional=d.provisional)


def recompute_provisional(*, actor) -> dict[str, int]:
    """Recompute every provisional deadline against the holiday table as it is now, in one
    idempotent pass (a second run finds nothing provisional that can change): each change
    is audited, mirrored onto the owner, and the handler (or, without one, the unit's
    supervision contacts) is told when the due date moved. Closed deadlines are judged
    again (按期/超期) against the corrected date. Returns counts."""
    from .sweep import recipients_by_org

    counts = {"recomputed": 0, "moved": 0, "still_provisional": 0, "notifications": 0}
    with transaction.atomic():
        complete = set(HolidayYear.objects.filter(complete=True).values_list("year", flat=True))
        last_pk = 0
        while True:
            batch = list(TrackedDeadline.objects.filter(provisional=True, pk__gt=last_pk, waiting_for_year__in=complete)
                         .select_for_update(of=("self",)).select_related("rule", "org", "handler")
                         .prefetch_related("suspensions", "extensions").order_by("pk")[:RECOMPUTE_BATCH])
            if not batch:
                break
            last_pk = batch[-1].pk
            moved = []
            cal = engine.db_calendar()  # one calendar (and its year cache) for the whole batch
            for d in batch:
                before = _snapshot(d)
                old_due = d.due
                _recompute(d, cal=cal)
                if d.state in CLOSED_STATES and d.closed_on is not None:
                    d.state = DeadlineState.MET if d.closed_on <= d.due else DeadlineState.MISSED
                d.version += 1
                d.save(update_fields=["due", "yellow_from", "provisional", "waiting_for_year", "state", "version"])
                record(actor, "deadline.recompute", d, before=before, after=_snapshot(d),
                       reason=f"{before['waiting_for_year']} 年放假安排已录入完整，重新计算暂定期限")
                counts["recomputed"] += 1
                counts["still_provisional"] += int(d.provisional)
                _mirror_due(d)
                deadline_rescheduled.send(sender=TrackedDeadline, deadline=d, old_due=old_due)
                if d.due != old_due:
                    counts["moved"] += 1
                    moved.append((d, old_due, before["waiting_for_year"]))
            routed = recipients_by_org({d.org for d, _, _ in moved if d.handler is None or not d.handler.is_active})
            for d, old_due, year in moved:
                title, body = _recompute_message(d, old_due, year)
                recipients = {d.handler} if d.handler is not None and d.handler.is_active else routed.get(d.org_id, set())
                counts["notifications"] += notify(
                    recipients=recipients, title=title, body=body,
                    url=reverse("deadlines:tracked_detail", args=[d.pk]), level="info",
                    dedupe_key=f"deadline:{d.pk}:recomputed:{old_due.isoformat()}:{d.due.isoformat()}")
    return counts


__all__ = [
    "HolidayImportError", "add_holiday_days", "import_holiday_csv", "set_year_complete", "parse_holiday_csv",
    "set_rule_override", "delete_rule_override",
    "start_deadline", "close_deadline", "suspend", "resume", "extend", "CLOSED_STATES",
    "NoMakeupDaysWarning", "recompute_provisional",
]
