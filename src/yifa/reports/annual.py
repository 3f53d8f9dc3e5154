"""The annual 法治政府建设情况报告 draft: statistics filled from the rollups, narrative
places clearly marked for the drafter. Rendered through the documents app's GB/T 9704-2012
renderer (docx, and pdf), as a draft: it carries no 发文字号 until it is issued."""

from datetime import date

from yifa.core import clock
from yifa.documents.content import Block, OfficialContent
from yifa.documents.rendering import render_docx, render_pdf

from .selectors import Value, dashboard, yearly_rate

NARRATIVE = "【待起草人填写：{}】"


def _v(sections, code) -> Value | None:
    for s in sections:
        for item in s["items"]:
            if item.code == code:
                return item
    return None


def _t(sections, code) -> str:
    v = _v(sections, code)
    return v.display if v is not None else "—"


def build(org, year: int, today: date | None = None) -> OfficialContent:
    this = dashboard(org, date(year, 1, 1), date(year, 12, 31))
    last = dashboard(org, date(year - 1, 1, 1), date(year - 1, 12, 31))
    trend = yearly_rate(org, "monitoring.closed_on_time", "monitoring.cases_closed", [year - 2, year - 1, year])
    body = [
        Block("paragraph", f"{year}年，{org.name}深入贯彻落实法治政府建设实施纲要，围绕事前合法性审查、事中行政执法监督、"
                           f"事后错案问责三个环节推进依法行政。现将有关情况报告如下（本报告统计数据由依法行政综合管理平台"
                           f"根据业务记录自动生成，统计期间为{year}年1月1日至{year}年12月31日）。"),
        Block("heading1", "一、主要工作和成效"),
        Block("heading2", "（一）前端防范：合法性审查"),
        Block("paragraph", f"全年报送合法性审查事项{_t(this, 'review.items')}件，出具审查意见书{_t(this, 'review.opinions')}份；"
                           f"反馈采纳情况的修改建议{_t(this, 'review.suggestions_answered')}条，其中被采纳（含部分采纳）"
                           f"{_t(this, 'review.suggestions_adopted')}条，采纳率{_t(this, 'review.adoption_rate')}"
                           f"（上年{_t(last, 'review.adoption_rate')}）。"),
        Block("paragraph", NARRATIVE.format("合法性审查工作的主要做法、典型事例")),
        Block("heading2", "（二）中端监督：行政执法监督"),
        Block("paragraph", f"全县纳入实时监测的在岗执法人员{_t(this, 'monitoring.officers')}名、执法事项{_t(this, 'monitoring.items')}项；"
                           f"全年立案（受理）{_t(this, 'monitoring.cases_filed')}件，办结{_t(this, 'monitoring.cases_closed')}件，"
                           f"按时办结率{_t(this, 'monitoring.on_time_rate')}（上年{_t(last, 'monitoring.on_time_rate')}）；"
                           f"发出临期、超期预警{_t(this, 'monitoring.warnings')}次。"),
        Block("table", rows=[["年度", "办结案件（件）", "按时办结（件）", "按时办结率"]] + [
            [f"{r['year']}年", str(int(r["denominator"])), str(int(r["numerator"])),
             f"{r['rate']}%" if r["rate"] is not None else "—"] for r in trend]),
        Block("paragraph", f"开展监督检查{_t(this, 'supervision.inspections')}次，其中专项监督检查"
                           f"{_t(this, 'supervision.special_inspections')}次，发现问题{_t(this, 'supervision.findings')}个，"
                           f"已整改{_t(this, 'supervision.findings_corrected')}个，问题整改率{_t(this, 'supervision.correction_rate')}；"
                           f"制发行政执法监督通知书{_t(this, 'supervision.notices')}份、意见书"
                           f"{_t(this, 'supervision.opinion_letters')}份、决定书{_t(this, 'supervision.decisions')}份，"
                           f"通知书、意见书整改到位{_t(this, 'supervision.letters_rectified')}份，"
                           f"整改率{_t(this, 'supervision.rectification_rate')}；线上监督规则发现线索{_t(this, 'supervision.clues')}条，"
                           f"确认为问题{_t(this, 'supervision.clues_confirmed')}条。"),
        Block("paragraph", f"组织案卷评查，评查行政执法案卷{_t(this, 'evaluation.files')}份，发现问题{_t(this, 'evaluation.problems')}个，"
                           f"评定不合格案卷{_t(this, 'evaluation.failed')}份。受理投诉举报{_t(this, 'complaints.received')}件，"
                           f"已办结{_t(this, 'complaints.closed')}件。"),
        Block("paragraph", NARRATIVE.format("行政执法监督的主要做法、成效和典型案例")),
        Block("heading2", "（三）末端问责：错案问责追责"),
        Block("paragraph", f"全年认定错案{_t(this, 'accountability.wrong_cases')}件，其中行政诉讼败诉"
                           f"{_t(this, 'accountability.litigation_lost')}件、行政复议纠错{_t(this, 'accountability.reconsideration_corrected')}件；"
                           f"完成倒查{_t(this, 'accountability.backtracks_done')}件，倒查发现问题{_t(this, 'accountability.problems')}个；"
                           f"制发错案问责建议书{_t(this, 'accountability.recommendations')}份，问责{_t(this, 'accountability.decisions')}人次。"),
        Block("paragraph", NARRATIVE.format("错案问责与警示教育情况")),
        Block("heading2", "（四）队伍建设"),
        Block("paragraph", f"举办培训{_t(this, 'training.sessions')}期，参训{_t(this, 'training.attendances')}人次，"
                           f"认定学时{_t(this, 'training.hours')}学时。"),
        Block("heading1", "二、存在的问题和不足"),
        Block("paragraph", NARRATIVE.format("存在的问题和不足")),
        Block("heading1", f"三、{year + 1}年工作打算"),
        Block("paragraph", NARRATIVE.format("下一年度工作打算")),
    ]
    return OfficialContent(issuer=org.name, title=f"{org.name}{year}年度法治政府建设情况报告（草稿）", body=body,
                           signature=org.name, issuer_red=False,
                           date=today or clock.today())


def render(org, year: int, fmt: str, today: date | None = None) -> bytes:
    content = build(org, year, today)
    return render_pdf(content) if fmt == "pdf" else render_docx(content)
