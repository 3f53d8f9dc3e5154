"""The metric registry: named platform metrics computed from other apps' records.

A metric is a function `(org, start, end) -> MetricResult` over the records of `org` and
the units under it for the period [start, end]; it only reads. `value` is a rate (0…1)
or a count; `drilldown_url` opens the records it was computed from. A metric whose
source module is not installed yet (case-file evaluation, accountability, training,
complaints are built in parallel) reports itself unavailable with the reason — never a
made-up number.
"""

import importlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from yifa.core import clock


@dataclass
class MetricResult:
    value: Decimal | None  # rate 0..1, or a count; None = no records (a rate without denominator)
    numerator: int | None = None
    denominator: int | None = None
    drilldown_url: str = ""
    available: bool = True
    reason: str = ""

    @classmethod
    def unavailable(cls, reason: str) -> "MetricResult":
        return cls(value=None, available=False, reason=reason)

    def as_dict(self) -> dict:
        return {"value": None if self.value is None else str(self.value), "numerator": self.numerator,
                "denominator": self.denominator, "drilldown_url": self.drilldown_url, "available": self.available,
                "reason": self.reason}


@dataclass
class Metric:
    code: str
    name: str
    unit: str  # "rate" or "count"
    source: str  # the app the records live in
    description: str
    compute: object
    records: object = None  # (org, start, end, limit) -> list[dict]: label, day, url, counted, note
    external: tuple = field(default=())  # (module, function) for metrics of apps built elsewhere


REGISTRY: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    REGISTRY[metric.code] = metric
    return metric


def get(code: str) -> Metric | None:
    return REGISTRY.get(code)


def choices():
    return [(m.code, f"{m.name}（{m.source}）") for m in REGISTRY.values()]


def drilldown_url(code, org, start, end) -> str:
    return reverse("assessment:metric_records") + "?" + urlencode(
        {"metric": code, "org": org.pk, "start": start.isoformat(), "end": end.isoformat()})


def compute(code: str, org, start: date, end: date) -> MetricResult:
    metric = REGISTRY.get(code)
    if metric is None:
        return MetricResult.unavailable(f"未登记的平台指标“{code}”。")
    return metric.compute(org, start, end)


def _rate(num: int, den: int, code, org, start, end) -> MetricResult:
    value = (Decimal(num) / Decimal(den)).quantize(Decimal("0.000001")) if den else None
    return MetricResult(value=value, numerator=num, denominator=den,
                        drilldown_url=drilldown_url(code, org, start, end))


# --- enforcement: on-time completion ------------------------------------------------------------

def _closed_cases(org, start, end):
    from yifa.enforcement.models import Case

    return Case.objects.in_subtree(org).filter(is_open=False, closed_on__gte=start, closed_on__lte=end,
                                               on_time__isnull=False)


def on_time_rate(org, start, end):
    qs = _closed_cases(org, start, end)
    den = qs.count()
    num = qs.filter(on_time=True).count() if den else 0
    return _rate(num, den, "enforcement.on_time_rate", org, start, end)


def on_time_records(org, start, end, limit=500):
    return [{"label": f"{c.case_no} {c.title}", "day": c.closed_on, "counted": bool(c.on_time),
             "note": "按时办结" if c.on_time else "超期办结", "url": reverse("enforcement:case_detail", args=[c.pk])}
            for c in _closed_cases(org, start, end).order_by("closed_on", "id")[:limit]]


register(Metric("enforcement.on_time_rate", "执法案件按时办结率", "rate", "行政执法",
                "期间内办结的案件中按时办结（未超过法定期限）的比例；以案件办结日期归属期间。",
                on_time_rate, on_time_records))


# --- enforcement: publicity on time -------------------------------------------------------------

PUBLICITY_RULE_BY_TYPE = {"penalty": "penalty.publicity", "permit": "permit.publicity"}
PUBLICITY_RULES = ("penalty.publicity", "permit.publicity", "enforcement.publicity")


def _publicity_rows(org, start, end, as_of=None):
    """Each decision of the period that had to be made public: (case, status, due).
    status: on_time / late / pending (not yet due) / unknown (due date not computable).
    The tracked deadline is the truth where one exists; otherwise (imported history) the
    due date is computed by the deadline engine from the decision date."""
    from yifa.deadlines import engine
    from yifa.deadlines.models import DeadlineState, TrackedDeadline
    from yifa.enforcement.models import Case, PublicityState

    as_of = as_of or clock.today()
    cases = list(Case.objects.in_subtree(org).filter(decided_on__gte=start, decided_on__lte=end)
                 .exclude(publicity_state=PublicityState.NONE).order_by("decided_on", "id")
                 .only("id", "org_id", "case_no", "title", "case_type", "decided_on", "published_on",
                       "publicity_state"))
    tracked = {}
    if cases:
        for d in (TrackedDeadline.objects.filter(owner_type="enforcement.case", rule__code__in=PUBLICITY_RULES,
                                                 owner_id__in=[str(c.pk) for c in cases])
                  .values("owner_id", "state", "due")):
            tracked[int(d["owner_id"])] = d
    rows, dues, rules, cal = [], {}, {}, None
    units = {}
    if cases:
        from yifa.orgs.models import Organization

        units = {o.pk: o for o in Organization.objects.filter(pk__in={c.org_id for c in cases})}
    for c in cases:
        d = tracked.get(c.pk)
        if d is not None:
            due = d["due"]
            if d["state"] == DeadlineState.MET:
                status = "on_time"
            elif d["state"] == DeadlineState.MISSED or due < as_of:
                status = "late"
            else:
                status = "pending"
        else:
            key = (PUBLICITY_RULE_BY_TYPE.get(c.case_type, "enforcement.publicity"), c.decided_on, c.org_id)
            if key not in dues:
                # the unit's own override of the rule applies (e.g. market supervision: 20 WD); a
                # span into a year without a holiday notice is judged on its provisional date
                rkey = (key[0], c.org_id)
                if rkey not in rules:
                    rules[rkey] = engine.effective_rule(engine.get_rule(key[0]), units.get(c.org_id))
                eff = rules[rkey]
                cal = cal or engine.db_calendar()
                dues[key] = engine.due_date(cal, start=key[1], n=eff.n, unit=eff.unit, direction=eff.direction)
            due = dues[key]
            if due is None:
                rows.append((c, "unknown", None))
                continue
            if c.published_on is not None:
                status = "on_time" if c.published_on <= due else "late"
            else:
                status = "late" if due < as_of else "pending"
        rows.append((c, status, due))
    return rows


def publicity_on_time(org, start, end):
    rows = _publicity_rows(org, start, end)
    judged = [s for _, s, _ in rows if s in ("on_time", "late")]
    return _rate(sum(1 for s in judged if s == "on_time"), len(judged), "enforcement.publicity_on_time", org, start,
                 end)


PUBLICITY_NOTES = {"on_time": "按时公示", "late": "未按时公示", "pending": "公示期限未届满（不计入）",
                   "unknown": "缺少节假日数据，无法判断（不计入）"}


def publicity_records(org, start, end, limit=500):
    return [{"label": f"{c.case_no} {c.title}", "day": c.decided_on, "counted": s == "on_time",
             "note": PUBLICITY_NOTES[s] + (f"，期限 {due:%Y-%m-%d}" if due else "")
             + (f"，公示于 {c.published_on:%Y-%m-%d}" if c.published_on else ""),
             "url": reverse("enforcement:case_detail", args=[c.pk])}
            for c, s, due in _publicity_rows(org, start, end)[:limit]]


register(Metric("enforcement.publicity_on_time", "执法决定按时公示率", "rate", "行政执法",
                "期间内作出、依法应公示的执法决定中，在公示期限（处罚/许可 7 个工作日，其他 20 个工作日）内公示的比例；"
                "期限未届满的不计入。", publicity_on_time, publicity_records))


# --- review: adoption of legal-review suggestions --------------------------------------------------

def _answered_suggestions(org, start, end):
    from yifa.review.models import Suggestion

    return (Suggestion.objects.filter(opinion__item__org__path__startswith=org.path, answered_on__gte=start,
                                      answered_on__lte=end).exclude(adoption=""))


def adoption_rate(org, start, end):
    qs = _answered_suggestions(org, start, end)
    den = qs.count()
    num = qs.filter(adoption__in=("adopted", "partial")).count() if den else 0
    return _rate(num, den, "review.adoption_rate", org, start, end)


def adoption_records(org, start, end, limit=500):
    qs = _answered_suggestions(org, start, end).select_related("opinion__item").order_by("answered_on", "id")
    return [{"label": f"{s.opinion.item.number} {s.opinion.item.title}：{s.suggestion[:40]}", "day": s.answered_on,
             "counted": s.adoption in ("adopted", "partial"), "note": s.get_adoption_display(),
             "url": reverse("review:item_detail", args=[s.opinion.item_id])} for s in qs[:limit]]


register(Metric("review.adoption_rate", "合法性审查意见采纳率", "rate", "合法性审查",
                "期间内报送单位已反馈的审查修改建议中，采纳或部分采纳的比例；以反馈日期归属期间。",
                adoption_rate, adoption_records))


# --- supervision: opinion letters rectified, findings corrected -----------------------------------

def _letters(org, start, end):
    from yifa.supervision.models import OpinionLetter

    return OpinionLetter.objects.in_subtree(org).filter(issued_on__gte=start, issued_on__lte=end)


RECTIFIED = ("accepted", "closed")


def letter_rectification_rate(org, start, end):
    qs = _letters(org, start, end)
    den = qs.count()
    num = qs.filter(state__in=RECTIFIED).count() if den else 0
    return _rate(num, den, "supervision.letter_rectification_rate", org, start, end)


def letter_records(org, start, end, limit=500):
    return [{"label": f"{x.doc_number or x.title}", "day": x.issued_on, "counted": x.state in RECTIFIED,
             "note": x.get_state_display(), "url": reverse("supervision:letter_detail", args=[x.pk])}
            for x in _letters(org, start, end).order_by("issued_on", "id")[:limit]]


register(Metric("supervision.letter_rectification_rate", "监督意见书整改率", "rate", "行政执法监督",
                "期间内印发的行政执法监督意见书中，整改报告已获认可或已办结的比例。",
                letter_rectification_rate, letter_records))


def _findings(org, start, end):
    from yifa.supervision.models import Finding

    return Finding.objects.in_subtree(org).filter(raised_on__gte=start, raised_on__lte=end)


def finding_correction_rate(org, start, end):
    qs = _findings(org, start, end)
    den = qs.count()
    num = qs.filter(~Q(state="open")).count() if den else 0
    return _rate(num, den, "supervision.finding_correction_rate", org, start, end)


def finding_records(org, start, end, limit=500):
    return [{"label": str(f), "day": f.raised_on, "counted": f.state != "open", "note": f.get_state_display(),
             "url": reverse("supervision:finding_detail", args=[f.pk])}
            for f in _findings(org, start, end).order_by("raised_on", "id")[:limit]]


def findings_raised(org, start, end):
    """The count of problems supervision found in `org`'s subtree: what the deduction of the
    supervision share counts, so that problems found weigh even when all are fixed."""
    n = _findings(org, start, end).count()
    return MetricResult(value=Decimal(n), numerator=n, drilldown_url=drilldown_url("supervision.findings_raised",
                                                                                   org, start, end))


def findings_raised_records(org, start, end, limit=500):
    return [{"label": str(f), "day": f.raised_on, "counted": True, "note": f.get_state_display(),
             "url": reverse("supervision:finding_detail", args=[f.pk])}
            for f in _findings(org, start, end).order_by("raised_on", "id")[:limit]]


register(Metric("supervision.findings_raised", "监督发现问题个数", "count", "行政执法监督",
                "期间内日常、专项及线上监督发现本单位（含下属单位）问题的个数，无论是否已整改（以发现日期归属期间）。",
                findings_raised, findings_raised_records))


register(Metric("supervision.finding_correction_rate", "监督发现问题整改率", "rate", "行政执法监督",
                "期间内监督发现的问题中已整改（含已核验）的比例。", finding_correction_rate, finding_records))


# --- metrics of apps built in parallel: lazy, and explicit when absent ------------------------------
#
# Case-file evaluation, accountability, training and complaints are separate apps. Their
# selectors (`evaluation_metrics`, `accountability_metrics`, `training_metrics`,
# `complaint_metrics`, each `(org, start, end) -> dict`) are imported when the metric is
# computed; while one is missing (or fails, or lacks the field), the metric is
# unavailable with the reason, and the indicator waits for an assessor's score.

def _lazy(module, function, app_label):
    """(function, None) or (None, unavailable result)."""
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None, MetricResult.unavailable(f"暂不可用：{app_label}模块尚未提供数据接口（{module}）。")
    fn = getattr(mod, function, None)
    if fn is None:
        return None, MetricResult.unavailable(f"暂不可用：{app_label}模块尚未提供 {function}()。")
    return fn, None


def _fetch(module, function, app_label, org, start, end, fields):
    fn, missing = _lazy(module, function, app_label)
    if fn is None:
        return None, missing
    try:
        data = fn(org, start, end)
    except Exception as exc:  # their selector failed: say so rather than score
        return None, MetricResult.unavailable(f"暂不可用：{app_label}数据接口出错（{type(exc).__name__}）。")
    absent = [f for f in fields if not isinstance(data, dict) or f not in data]
    if absent:
        return None, MetricResult.unavailable(f"暂不可用：{app_label}数据接口未返回所需字段（{'、'.join(absent)}）。")
    return data, None


EVAL = ("yifa.supervision.evaluation.selectors", "evaluation_metrics", "案卷评查")


def evaluation_score_rate(org, start, end):
    data, missing = _fetch(*EVAL, org, start, end, ("files_evaluated", "average_score"))
    if missing:
        return missing
    try:
        from yifa.supervision.evaluation.models import FULL_SCORE
    except ImportError:
        FULL_SCORE = Decimal(100)
    n, avg = int(data["files_evaluated"] or 0), data["average_score"]
    value = (Decimal(str(avg)) / Decimal(FULL_SCORE)).quantize(Decimal("0.000001")) if n and avg is not None else None
    return MetricResult(value=value, numerator=None, denominator=n,
                        drilldown_url=drilldown_url("evaluation.score_rate", org, start, end))


def evaluation_records(org, start, end, limit=500):
    from yifa.supervision.evaluation.models import EvaluationFile

    qs = (EvaluationFile.objects.filter(state="submitted", org__path__startswith=org.path, submitted_on__gte=start,
                                        submitted_on__lte=end).select_related("case").order_by("submitted_on", "id"))
    return [{"label": str(f), "day": f.submitted_on, "counted": True, "note": f"得分 {f.score}",
             "url": reverse("evaluation:file_detail", args=[f.pk])} for f in qs[:limit]]


register(Metric("evaluation.score_rate", "案卷评查得分率", "rate", "案卷评查",
                "期间内评定的评查案卷平均得分 ÷ 满分（以评定日期归属期间）。", evaluation_score_rate, evaluation_records,
                external=EVAL[:2]))


ACC = ("yifa.accountability.selectors", "accountability_metrics", "错案问责")


def wrong_cases(org, start, end):
    data, missing = _fetch(*ACC, org, start, end, ("wrong_cases",))
    if missing:
        return missing
    n = int(data["wrong_cases"] or 0)
    return MetricResult(value=Decimal(n), numerator=n, denominator=None,
                        drilldown_url=drilldown_url("accountability.wrong_cases", org, start, end))


def wrong_case_records(org, start, end, limit=500):
    from yifa.accountability.models import WrongCase

    qs = (WrongCase.objects.filter(org__path__startswith=org.path, opened_on__gte=start, opened_on__lte=end)
          .exclude(state="withdrawn").order_by("opened_on", "id"))
    return [{"label": w.title, "day": w.opened_on, "counted": True, "note": w.get_trigger_display(),
             "url": reverse("accountability:wrong_case_detail", args=[w.pk])} for w in qs[:limit]]


register(Metric("accountability.wrong_cases", "错案件数", "count", "错案问责",
                "期间内认定的错案（行政诉讼败诉、行政复议纠错、监督发现重大问题等）件数（以认定日期归属期间）。",
                wrong_cases, wrong_case_records, external=ACC[:2]))


TRAIN = ("yifa.training.selectors", "training_metrics", "队伍建设")


def training_completion(org, start, end):
    data, missing = _fetch(*TRAIN, org, start, end, ("officers", "officers_meeting"))
    if missing:
        return missing
    return _rate(int(data["officers_meeting"] or 0), int(data["officers"] or 0), "training.completion_rate", org,
                 start, end)


def training_records(org, start, end, limit=500):
    from yifa.training.selectors import training_drilldown

    qs = training_drilldown(org, start, end, "completion_rate").order_by("org__path", "id")
    return [{"label": f"{o.name}（{o.org.name}）", "day": None, "counted": bool(getattr(o, "meets", False)),
             "note": "学时达标" if getattr(o, "meets", False) else "学时未达标",
             "url": reverse("training:officer_detail", args=[o.pk])} for o in qs.select_related("org")[:limit]]


register(Metric("training.completion_rate", "执法人员培训学时达标率", "rate", "队伍建设",
                "期间内培训学时达到要求（按期间折算）的执法人员比例。", training_completion, training_records,
                external=TRAIN[:2]))


COMPLAINTS = ("yifa.supervision.complaints.selectors", "complaint_metrics", "投诉举报")


def complaint_on_time(org, start, end):
    data, missing = _fetch(*COMPLAINTS, org, start, end, ("answered", "answered_on_time"))
    if missing:
        return missing
    return _rate(int(data["answered_on_time"] or 0), int(data["answered"] or 0), "complaints.on_time_rate", org,
                 start, end)


def complaint_records(org, start, end, limit=500):
    from yifa.supervision.complaints.models import Complaint

    qs = (Complaint.objects.in_subtree(org).filter(received_on__gte=start, received_on__lte=end,
                                                   replied_on__isnull=False).order_by("received_on", "id"))
    return [{"label": str(c), "day": c.received_on,
             "counted": bool(c.due and c.replied_on and c.replied_on <= c.due),
             "note": f"期限 {c.due or '—'}，答复 {c.replied_on}", "url": reverse("complaints:detail", args=[c.pk])}
            for c in qs[:limit]]


register(Metric("complaints.on_time_rate", "投诉举报按时答复率", "rate", "投诉举报",
                "期间内受理并已答复的投诉举报中，在办理期限内答复的比例。", complaint_on_time, complaint_records,
                external=COMPLAINTS[:2]))
