"""Excel export (streamed, write-only) and the all-or-nothing advisor import."""

from datetime import date, datetime

from django.db import transaction

from yifa.audit.services import record
from yifa.core.xlsx import xlsx_response  # noqa: F401 — re-exported: the one Excel writer
from yifa.core.errors import DomainError
from yifa.core.import_reports import errors_text, row_error
from yifa.orgs.models import Organization

from .models import AdvisorStatus, AdvisorType, LegalAdvisor, county_root

MAX_IMPORT_ROWS = 5000


ITEM_HEADERS = ["审查编号", "事项名称", "类型", "报送单位", "报送日期", "轮次", "状态", "受理日期", "意见书日期", "结论",
                "意见书文号", "准予提交日期", "备案日期"]


def item_rows(qs):
    for i in qs.select_related("org").iterator(chunk_size=1000):
        yield [i.number, i.title, i.get_item_type_display(), i.org.name, i.submitted_on, i.round, i.get_state_display(),
               i.accepted_on, i.issued_on, i.get_final_conclusion_display() if i.final_conclusion else "",
               i.letter_number, i.cleared_on, i.filed_on]


# the import's columns: (header, required), and the values the coded ones take
IMPORT_COLUMNS = {"姓名": ("姓名", True), "类型": ("类型", True), "律师事务所/院校": ("律师事务所/院校", False),
                  "执业证号": ("执业证号", False), "联系电话": ("联系电话", False), "专业领域": ("专业领域", False),
                  "服务单位代码": ("服务单位代码", True), "县顾问团": ("县顾问团", False),
                  "聘期开始": ("聘期开始", False), "聘期结束": ("聘期结束", False), "状态": ("状态", "选填，默认 在聘")}
IMPORT_EXAMPLE = {"姓名": "张三", "类型": "执业律师", "律师事务所/院校": "某某律师事务所", "执业证号": "13301201910000000",
                  "联系电话": "0571-00000000", "专业领域": "行政法", "服务单位代码": "（单位代码，见单位管理）",
                  "县顾问团": "否", "聘期开始": "2026-01-01", "聘期结束": "2027-12-31", "状态": "在聘"}

ADVISOR_HEADERS = ["姓名", "类型", "律师事务所/院校", "执业证号", "联系电话", "专业领域", "服务单位代码", "服务单位", "县顾问团",
                   "聘期开始", "聘期结束", "状态"]


def advisor_rows(qs):
    for a in qs.select_related("org").iterator(chunk_size=1000):
        yield [a.name, a.get_advisor_type_display(), a.firm, a.license_no, a.phone, a.specialties, a.org.code,
               a.org.name, "是" if a.county_team else "否", a.contract_start, a.contract_end, a.get_status_display()]


TYPE_BY_LABEL = {label: value for value, label in AdvisorType.choices} | {v: v for v in AdvisorType.values}
STATUS_BY_LABEL = {label: value for value, label in AdvisorStatus.choices} | {v: v for v in AdvisorStatus.values}


def _date(v, name):
    """A date cell: (the date or None when empty, None) or (None, what is wrong)."""
    if v in (None, ""):
        return None, None
    if isinstance(v, datetime):
        return v.date(), None
    if isinstance(v, date):
        return v, None
    try:
        return date.fromisoformat(str(v).strip()), None
    except ValueError:
        return None, f"{name}“{v}”应为日期（YYYY-MM-DD）"


def import_advisors(*, actor, fileobj) -> int:
    """All rows or none: every row error is reported in Chinese with its row number."""
    from openpyxl import load_workbook

    from .services import _require_office

    data = fileobj.read()
    if not data.startswith(b"PK\x03\x04"):
        raise DomainError("请上传 Excel（.xlsx）文件。", {"file": ["文件不是 xlsx。"]})
    import io

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — any unreadable workbook is the user's input error
        raise DomainError("无法读取该 Excel 文件。", {"file": [str(exc)[:200]]}) from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(rows, [])]
    missing = [h for h in ("姓名", "类型", "服务单位代码") if h not in header]
    if missing:
        raise DomainError("表头缺少：" + "、".join(missing), {"file": ["表头不完整。"]})
    col = {h: i for i, h in enumerate(header)}
    root = county_root(actor) if actor is not None else None
    orgs = {o.code: o for o in (Organization.objects.filter(path__startswith=root.path) if root
                                else Organization.objects.all())}
    errors, objs = [], []

    def get(row, name):
        i = col.get(name)
        return row[i] if i is not None and i < len(row) else None

    for n, row in enumerate(rows, start=2):
        if not any(c not in (None, "") for c in row):
            continue
        if len(objs) >= MAX_IMPORT_ROWS:
            errors.append(row_error(n, "", f"超过单次导入上限 {MAX_IMPORT_ROWS} 行"))
            break
        bad = []  # this row's (column, message)
        name = str(get(row, "姓名") or "").strip()
        if not name:
            bad.append(("姓名", "姓名不能为空"))
        t = TYPE_BY_LABEL.get(str(get(row, "类型") or "").strip())
        if t is None:
            bad.append(("类型", f"类型“{get(row, '类型')}”应为 执业律师 / 法学专家 / 公职律师"))
        code = str(get(row, "服务单位代码") or "").strip()
        org = orgs.get(code)
        if org is None:
            bad.append(("服务单位代码", f"服务单位代码“{code}”不存在或不在您的管理范围内"))
        status = STATUS_BY_LABEL.get(str(get(row, "状态") or "在聘").strip())
        if status is None:
            bad.append(("状态", f"状态“{get(row, '状态')}”应为 在聘 / 合同期满 / 已解聘"))
        start, problem = _date(get(row, "聘期开始"), "聘期开始")
        if problem:
            bad.append(("聘期开始", problem))
        end, problem = _date(get(row, "聘期结束"), "聘期结束")
        if problem:
            bad.append(("聘期结束", problem))
        if start and end and end < start:
            bad.append(("聘期结束", "聘期结束早于聘期开始"))
        errors += [row_error(n, label, msg) for label, msg in bad]
        objs.append(LegalAdvisor(
            org=org, name=name[:40], advisor_type=t or "", firm=str(get(row, "律师事务所/院校") or "")[:100],
            license_no=str(get(row, "执业证号") or "")[:40], phone=str(get(row, "联系电话") or "")[:40],
            specialties=str(get(row, "专业领域") or "")[:200], county_team=str(get(row, "县顾问团") or "").strip() in ("是", "1", "True"),
            contract_start=start, contract_end=end, status=status or ""))
    if not objs and not errors:
        errors.append(row_error(0, "", "文件中没有数据行"))
    if errors:
        raise DomainError("未导入（全部撤销）：" + errors_text(errors), {"rows": errors})
    with transaction.atomic():
        for org in {o.org for o in objs}:
            _require_office(actor, org)
        created = LegalAdvisor.objects.bulk_create(objs, batch_size=500)
        record(actor, "review.advisor_import", created[0], after={"rows": len(created)})
    return len(created)


# --- the reviewer's-loop examples, in the corpus format (precheck_corpus/corpus.csv) ---------

EXAMPLE_CSV_HEADERS = ["label", "text", "source", "note"]
EXAMPLE_XLSX_HEADERS = ["label", "text", "source", "note", "类别", "来源", "审查编号", "审查人", "日期"]


def _example_note(e) -> str:
    if e.dismissed_category:
        return f"排除“{e.get_dismissed_category_display()}”提示：{e.reason}"
    return e.reason


def example_rows(qs, *, wide=False):
    for e in qs.iterator(chunk_size=1000):
        row = [e.label, e.text, e.source, _example_note(e)]
        if wide:
            row += [e.get_label_display(), e.get_source_display(), e.item.number,
                    e.created_by.display_name if e.created_by else "", e.created_on]
        yield row


class _Echo:
    def write(self, value):
        return value


def examples_csv_response(qs, filename="precheck_examples.csv"):
    """Streamed UTF-8 CSV with the corpus's columns (label,text,source) and a note; no BOM,
    so rows can be appended to corpus.csv after review."""
    import csv

    from django.http import StreamingHttpResponse

    writer = csv.writer(_Echo(), lineterminator="\n")

    def lines():
        yield writer.writerow(EXAMPLE_CSV_HEADERS)
        for row in example_rows(qs):
            yield writer.writerow(row)

    resp = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


def examples_xlsx_response(qs):
    return xlsx_response("预审样本.xlsx", [("预审样本", EXAMPLE_XLSX_HEADERS, example_rows(qs, wide=True))])
