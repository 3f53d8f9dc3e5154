"""What a clue that is not about one case is about (its subject), in words and as a link.

A rule that flags records other than cases declares `subjects(today)`: a values() queryset
with the keys `subject_type` (a key of SUBJECT_TYPES), `subject_id`, `subject_org` (the unit
whose clue it is), `subject_period` (see `period_words`) and `subject_label` (the record
in words: a name, never a code)."""

import re

from django.urls import NoReverseMatch, reverse

# subject_type -> (the kind in words, the detail page's URL name)
SUBJECT_TYPES = {
    "orgs.organization": ("单位", "orgs:org_detail"),
    "enforcement.officer": ("执法人员", "enforcement:officer_detail"),
    "supervision.finding": ("监督发现问题", "supervision:finding_detail"),
    "complaints.complaint": ("投诉举报", "complaints:detail"),
}
SUBJECT_KEYS = ("subject_type", "subject_id", "subject_org", "subject_period", "subject_label")
QUARTERS = {"1": "第一季度", "2": "第二季度", "3": "第三季度", "4": "第四季度"}


def month_period(d) -> str:
    return f"{d.year}-{d.month:02d}"


def quarter_period(d) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def period_words(period: str) -> str:
    """"2026-11" → 2026年11月; "2026-Q4" → 2026年第四季度; "2026" → 2026年; "" → ""."""
    if not period:
        return ""
    m = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if m:
        return f"{m[1]}年{int(m[2])}月"
    m = re.fullmatch(r"(\d{4})-Q([1-4])", period)
    if m:
        return f"{m[1]}年{QUARTERS[m[2]]}"
    m = re.fullmatch(r"(\d{4})", period)
    if m:
        return f"{m[1]}年"
    return "期间 " + period


def subject_kind_words(subject_type: str) -> str:
    return SUBJECT_TYPES.get(subject_type, ("记录", ""))[0]


def subject_words(clue) -> str:
    if clue.case_id:
        case = clue.case
        return f"案件 {case.case_no} {case.title}"
    words = f"{subject_kind_words(clue.subject_type)} {clue.subject_label}".strip()
    period = period_words(clue.period)
    return f"{words}（{period}）" if period else words


def subject_url(clue) -> str:
    try:
        if clue.case_id:
            return reverse("enforcement:case_detail", args=[clue.case_id])
        name = SUBJECT_TYPES.get(clue.subject_type, ("", ""))[1]
        return reverse(name, args=[clue.subject_id]) if name and clue.subject_id else ""
    except NoReverseMatch:
        return ""
