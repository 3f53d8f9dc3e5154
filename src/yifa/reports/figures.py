"""The leader dashboard's figures as data.

A `Figure` counts (or sums) the records of one model: those whose event date falls in
the period, or — for a snapshot figure (`date_field=""`) — those in a state as of the
rollup day (officers on duty, items in force, cases overdue now). The same definition
gives both

- the monthly rollup per unit (`monthly`), one GROUP BY query, which the sweep stores in
  `FigureRollup` so the dashboard never scans the source tables, and
- the records behind the figure (`records`), which the drill-down page lists,

so that a figure and its records cannot disagree. A `Rate` divides one figure by another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

SECTIONS = [
    ("review", "合法性审查"),
    ("supervision", "执法监督"),
    ("evaluation", "案卷评查"),
    ("monitoring", "执法实时监测"),
    ("accountability", "错案问责"),
    ("training", "队伍建设"),
    ("complaints", "投诉举报"),
]


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    section: str
    model: str  # "app_label.ModelName"
    date_field: str = ""  # the event date; "" makes a snapshot figure
    where: Callable[[date], Q] | None = None  # extra condition (given the rollup day)
    org_field: str = "org"  # the unit the record counts for
    sum_field: str = ""  # sum this field instead of counting records
    unit: str = "件"
    detail: str = ""  # URL name of the record's detail page
    detail_pk: str = "pk"  # attribute giving the detail page's pk
    parent: str = ""  # a breakdown figure: the figure it splits (not a card of its own)
    short_label: str = ""  # a breakdown figure: its category alone (the chart's axis label)
    # True: the sweep may refresh only the months of the records changed since its last pass
    # (the model's `updated_at`, auto_now), because the figure depends on the record's own
    # fields alone (`where` reads no other table and not the rollup day). Big tables only.
    incremental: bool = False

    @property
    def snapshot(self) -> bool:
        return not self.date_field

    def model_class(self):
        return apps.get_model(self.model)

    def base(self, today: date):
        qs = self.model_class()._base_manager.all()
        if self.where is not None:
            qs = qs.filter(self.where(today))
        return qs

    @property
    def org_id_field(self) -> str:
        return f"{self.org_field}_id" if "__" not in self.org_field else f"{self.org_field}__id"

    def monthly(self, start: date, end: date, today: date, orgs=None):
        """Rows (org_id, month, value) for records dated in [start, end] (snapshot: all,
        stamped with the month of `today`); `orgs`: only those units' records."""
        org_id = self.org_id_field
        qs = self.base(today)
        if orgs is not None:
            qs = qs.filter(**{f"{org_id}__in": list(orgs)})
        agg = Sum(self.sum_field) if self.sum_field else Count("pk")
        if self.snapshot:
            month = today.replace(day=1)
            for row in qs.values(org_id).annotate(v=agg).order_by():
                yield row[org_id], month, row["v"] or 0
            return
        qs = qs.filter(**{f"{self.date_field}__gte": start, f"{self.date_field}__lte": end})
        rows = (qs.annotate(m=TruncMonth(self.date_field)).values(org_id, "m").annotate(v=agg).order_by())
        for row in rows:
            m = row["m"]
            if hasattr(m, "date"):
                m = m.date()
            yield row[org_id], m, row["v"] or 0

    def changed_keys(self, since, start: date, end: date) -> set[tuple[int, date]]:
        """(unit id, month) of the records dated in [start, end] saved at or after `since`
        (an index range on `updated_at`, then those records' units and months)."""
        qs = self.model_class()._base_manager.filter(
            updated_at__gte=since, **{f"{self.date_field}__gte": start, f"{self.date_field}__lte": end})
        rows = qs.annotate(m=TruncMonth(self.date_field)).values_list(self.org_id_field, "m").distinct().order_by()
        return {(org_id, m.date() if hasattr(m, "date") else m) for org_id, m in rows if org_id is not None}

    def records(self, org, start: date, end: date, today: date):
        # the units as a subquery (org_id IN …), not a join on the unit's path: the planner then
        # walks the date index backwards and stops after a page, flat in the table's size
        units = apps.get_model("orgs.Organization").objects.filter(path__startswith=org.path).values("pk")
        qs = self.base(today).filter(**{f"{self.org_field}__in": units})
        if not self.snapshot:
            qs = qs.filter(**{f"{self.date_field}__gte": start, f"{self.date_field}__lte": end})
            return qs.order_by(f"-{self.date_field}", "-pk")
        return qs.order_by("-pk")

    def record_date(self, obj):
        if self.snapshot:
            return None
        value = obj
        for part in self.date_field.split("__"):
            value = getattr(value, part, None)
        return value


@dataclass(frozen=True)
class Rate:
    code: str
    label: str
    section: str
    numerator: str
    denominator: str
    unit: str = "%"


def _q(**kw):
    return lambda today: Q(**kw)


FIGURES: list[Figure] = [
    # 合法性审查
    Figure("review.items", "报送审查事项", "review", "review.ReviewItem", "submitted_on",
           where=lambda t: ~Q(state="withdrawn"), detail="review:item_detail"),
    Figure("review.opinions", "出具审查意见书", "review", "review.ReviewItem", "issued_on",
           detail="review:item_detail"),
    Figure("review.suggestions_answered", "反馈采纳情况的修改建议", "review", "review.Suggestion", "answered_on",
           where=lambda t: ~Q(adoption=""), unit="条", detail="review:item_detail", detail_pk="opinion.item_id"),
    Figure("review.suggestions_adopted", "被采纳（含部分采纳）的修改建议", "review", "review.Suggestion",
           "answered_on", where=_q(adoption__in=["adopted", "partial"]), unit="条",
           detail="review:item_detail", detail_pk="opinion.item_id"),
    # 执法监督
    Figure("supervision.inspections", "监督检查", "supervision", "supervision.Inspection", "period_start",
           unit="次", detail="supervision:inspection_detail"),
    Figure("supervision.special_inspections", "专项监督检查", "supervision", "supervision.Inspection",
           "period_start", where=_q(kind="special"), unit="次", detail="supervision:inspection_detail"),
    Figure("supervision.findings", "发现问题", "supervision", "supervision.Finding", "raised_on",
           unit="个", detail="supervision:finding_detail"),
    Figure("supervision.findings_corrected", "问题已整改", "supervision", "supervision.Finding", "raised_on",
           where=_q(state__in=["corrected", "verified"]), unit="个", detail="supervision:finding_detail"),
    # the 条例's three instruments, each counted (通知书 and 意见书 share the rectification flow)
    Figure("supervision.notices", "制发监督通知书", "supervision", "supervision.OpinionLetter", "issued_on",
           where=_q(tier="notice"), unit="份", detail="supervision:letter_detail"),
    Figure("supervision.opinion_letters", "制发监督意见书", "supervision", "supervision.OpinionLetter", "issued_on",
           where=_q(tier="opinion"), unit="份", detail="supervision:letter_detail"),
    Figure("supervision.decisions", "制发监督决定书", "supervision", "supervision.SupervisionDecision", "issued_on",
           unit="份", detail="supervision:decision_detail"),
    Figure("supervision.letters", "通知书、意见书合计", "supervision", "supervision.OpinionLetter", "issued_on",
           unit="份", detail="supervision:letter_detail"),
    Figure("supervision.letters_rectified", "通知书、意见书整改到位", "supervision", "supervision.OpinionLetter",
           "issued_on", where=_q(state__in=["accepted", "closed"]), unit="份",
           detail="supervision:letter_detail"),
    Figure("supervision.clues", "线上监督线索", "supervision", "supervision.Clue", "raised_on", unit="条",
           detail="supervision:clue_detail"),
    Figure("supervision.clues_confirmed", "线索确认为问题", "supervision", "supervision.Clue", "raised_on",
           where=_q(state="confirmed"), unit="条", detail="supervision:clue_detail"),
    # 案卷评查
    Figure("evaluation.files", "评查案卷", "evaluation", "evaluation.EvaluationFile", "submitted_on",
           where=_q(state="submitted"), unit="份", detail="evaluation:file_detail"),
    Figure("evaluation.problems", "评查发现问题", "evaluation", "evaluation.Deduction", "file__submitted_on",
           where=_q(file__state="submitted"), org_field="file__org", unit="个",
           detail="evaluation:file_detail", detail_pk="file_id"),
    Figure("evaluation.failed", "不合格案卷", "evaluation", "evaluation.EvaluationFile", "submitted_on",
           where=_q(state="submitted", grade="fail"), unit="份", detail="evaluation:file_detail"),
    # 执法实时监测
    Figure("monitoring.officers", "在岗执法人员（当前，持有效证件）", "monitoring", "enforcement.Officer",
           where=lambda t: Q(status="active", valid_from__lte=t, valid_to__gte=t), unit="名",
           detail="enforcement:officer_detail"),
    Figure("monitoring.items", "执法事项（当前）", "monitoring", "enforcement.EnforcementItem",
           where=_q(is_active=True), unit="项", detail="enforcement:item_detail"),
    Figure("monitoring.overdue_now", "当前超期案件", "monitoring", "enforcement.Case",
           where=lambda t: Q(is_open=True, due__lt=t), detail="enforcement:case_detail"),
    Figure("monitoring.cases_filed", "立案/受理", "monitoring", "enforcement.Case", "filed_on",
           detail="enforcement:case_detail", incremental=True),
    Figure("monitoring.cases_closed", "办结案件", "monitoring", "enforcement.Case", "closed_on",
           where=_q(on_time__isnull=False), detail="enforcement:case_detail", incremental=True),
    Figure("monitoring.closed_on_time", "按时办结", "monitoring", "enforcement.Case", "closed_on",
           where=_q(on_time=True), detail="enforcement:case_detail", incremental=True),
    Figure("monitoring.warnings", "预警（黄牌/红牌）", "monitoring", "deadlines.Warning", "created_on",
           org_field="deadline__org", unit="次", detail="deadlines:tracked_detail", detail_pk="deadline_id"),
    # 错案问责
    # a wrong case withdrawn (opened on an outcome that did not stand) is not counted
    Figure("accountability.wrong_cases", "认定错案", "accountability", "accountability.WrongCase", "opened_on",
           where=lambda t: ~Q(state="withdrawn"), detail="accountability:wrong_case_detail"),
    Figure("accountability.litigation_lost", "行政诉讼败诉", "accountability", "accountability.WrongCase",
           "opened_on", where=lambda t: Q(trigger="litigation_lost") & ~Q(state="withdrawn"),
           detail="accountability:wrong_case_detail"),
    Figure("accountability.reconsideration_corrected", "行政复议纠错", "accountability",
           "accountability.WrongCase", "opened_on",
           where=lambda t: Q(trigger="reconsideration_corrected") & ~Q(state="withdrawn"),
           detail="accountability:wrong_case_detail"),
    Figure("accountability.backtracks_done", "完成倒查", "accountability", "accountability.Backtrack",
           "completed_on", detail="accountability:wrong_case_detail", detail_pk="wrong_case_id"),
    Figure("accountability.problems", "倒查发现问题", "accountability", "accountability.Problem", "found_on",
           unit="个", detail="accountability:wrong_case_detail", detail_pk="check_item.backtrack.wrong_case_id"),
    Figure("accountability.recommendations", "制发问责建议书", "accountability", "accountability.Recommendation",
           "issued_on", unit="份", detail="accountability:recommendation_detail"),
    Figure("accountability.decisions", "问责人次", "accountability", "accountability.Decision", "decided_on",
           unit="人次", detail="accountability:wrong_case_detail", detail_pk="wrong_case_id"),
    # 队伍建设
    Figure("training.sessions", "举办培训", "training", "training.Training", "held_on", unit="期",
           detail="training:training_detail"),
    Figure("training.attendances", "参训人次", "training", "training.Attendance", "held_on",
           where=_q(status="attended"), unit="人次", detail="training:training_detail", detail_pk="training_id"),
    Figure("training.hours", "认定学时", "training", "training.Attendance", "held_on",
           where=_q(status="attended"), sum_field="hours_credited", unit="学时",
           detail="training:training_detail", detail_pk="training_id"),
    # 投诉举报
    Figure("complaints.received", "收到投诉举报", "complaints", "complaints.Complaint", "received_on",
           detail="complaints:detail"),
    Figure("complaints.closed", "已办结", "complaints", "complaints.Complaint", "received_on",
           where=_q(state="closed"), detail="complaints:detail"),
]

RATES: list[Rate] = [
    Rate("review.adoption_rate", "审查意见采纳率", "review", "review.suggestions_adopted",
         "review.suggestions_answered"),
    Rate("supervision.correction_rate", "问题整改率", "supervision", "supervision.findings_corrected",
         "supervision.findings"),
    Rate("supervision.rectification_rate", "通知书、意见书整改率", "supervision", "supervision.letters_rectified",
         "supervision.letters"),
    Rate("monitoring.on_time_rate", "按时办结率", "monitoring", "monitoring.closed_on_time",
         "monitoring.cases_closed"),
    Rate("complaints.closed_rate", "投诉办结率", "complaints", "complaints.closed", "complaints.received"),
]

BY_CODE: dict[str, Figure] = {f.code: f for f in FIGURES}
RATE_BY_CODE: dict[str, Rate] = {r.code: r for r in RATES}


@dataclass(frozen=True)
class Breakdown:
    """A figure split by the choices of one of its model's fields: one rolled-up figure per
    choice, coded "<figure>.<choice>", labelled with the field's own Chinese choice label."""

    figure: str
    field: str
    title: str


BREAKDOWNS: list[Breakdown] = [
    Breakdown("supervision.findings", "category", "发现问题类别"),
]


@dataclass(frozen=True)
class Target:
    """A target line on a chart: a value of a rate, with where the value comes from. The
    value may be overridden per deployment by the setting YIFA_REPORT_TARGETS
    ({rate code: value}); the source then says so."""

    rate: str
    value: Decimal
    label: str
    source: str


TARGETS: list[Target] = [
    Target("monitoring.on_time_rate", Decimal(98), "目标值",
           "县依法行政工作会议讲话：执法案件按时办结率从85%提升至98%，以98%为保持目标"),
]


def target(rate_code: str) -> Target | None:
    from django.conf import settings

    for t in TARGETS:
        if t.rate == rate_code:
            override = (getattr(settings, "YIFA_REPORT_TARGETS", None) or {}).get(rate_code)
            if override is not None:
                return replace(t, value=Decimal(str(override)), source="本地区配置（YIFA_REPORT_TARGETS）")
            return t
    return None


def _app_installed(model: str) -> bool:
    return model.split(".")[0] in apps.app_configs


@cache
def breakdown_figures() -> tuple[Figure, ...]:
    """The figures of every breakdown (built once the app registry is ready)."""
    out = []
    for b in BREAKDOWNS:
        parent = BY_CODE[b.figure]
        if not _app_installed(parent.model):
            continue
        field = parent.model_class()._meta.get_field(b.field)
        for value, label in field.flatchoices:

            def where(today, _v=value, _w=parent.where, _f=b.field):
                q = Q(**{_f: _v})
                return q & _w(today) if _w is not None else q

            out.append(replace(parent, code=f"{parent.code}.{value}", label=f"{parent.label}（{label}）",
                               short_label=str(label), where=where, parent=parent.code))
    return tuple(out)


def breakdown(figure_code: str) -> list[Figure]:
    return [f for f in breakdown_figures() if f.parent == figure_code]


def figure_by_code(code: str) -> Figure | None:
    """A figure (a breakdown figure too) by its code."""
    fig = BY_CODE.get(code)
    if fig is None:
        fig = next((f for f in breakdown_figures() if f.code == code), None)
    return fig


def active_figures() -> list[Figure]:
    return [f for f in FIGURES if _app_installed(f.model)] + list(breakdown_figures())
