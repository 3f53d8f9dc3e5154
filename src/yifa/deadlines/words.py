"""How a due date is said to a person or printed in a document (the *Words* rule).

A provisional due date (a year whose holiday notice is not yet entered) is always marked
暂定 where it is shown, and an official document never prints it: it states the period as
the law does (“自收到本意见书之日起三十日内”).
"""

from datetime import date

_DIGITS = "零一二三四五六七八九"
UNIT_WORDS = {"CD": "日", "WD": "个工作日", "months": "个月"}


def chinese_number(n: int) -> str:
    """1 → 一, 15 → 十五, 30 → 三十, 105 → 一百零五 (0 < n < 10000)."""
    if n <= 0 or n >= 10000:
        return str(n)
    out, zero = [], False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero:
                out.append("零")
                zero = False
            out.append(("" if value == 10 and not out and digit == 1 else _DIGITS[digit]) + name)
        elif out and n:
            zero = True
    return "".join(out)


def period_words(n: int, unit: str) -> str:
    """三十日 / 十个工作日 / 六个月."""
    return f"{chinese_number(n)}{UNIT_WORDS.get(unit, '日')}"


def is_provisional(obj) -> bool:
    """A tracked deadline (`provisional`) or an owner mirroring one (`due_provisional`)."""
    return bool(getattr(obj, "provisional", False) or getattr(obj, "due_provisional", False))


def due_text(obj, due: date | None = None) -> str:
    """“2027-01-05” or “2027-01-05（暂定，待 2027 年放假安排）” for a deadline or an owner
    that mirrors one (`due`, `due_provisional`)."""
    due = due or getattr(obj, "due", None)
    if due is None:
        return "—"
    if not is_provisional(obj):
        return f"{due:%Y-%m-%d}"
    year = getattr(obj, "waiting_for_year", None)
    return f"{due:%Y-%m-%d}（暂定{f'，待 {year} 年放假安排' if year else ''}）"


def due_clause(obj, *, n: int, unit: str, document: str) -> str:
    """The deadline as a document states it: “于2027年1月5日前” (GB/T 9704: no leading
    zeros), or — provisional or
    unknown — “自收到{document}之日起三十日内”."""
    due = getattr(obj, "due", None)
    if due is not None and not is_provisional(obj):
        from yifa.documents.content import chinese_date

        return f"于{chinese_date(due)}前"
    return f"自收到{document}之日起{period_words(n, unit)}内"
