import django_tables2 as tables
from django.utils.html import format_html

from .models import Campaign, EvaluationFile, ScoringSheet

GRADE_BADGE = {"excellent": "success", "pass": "primary", "fail": "danger"}


class CampaignTable(tables.Table):
    title = tables.Column("活动名称", linkify=("evaluation:campaign_detail", {"pk": tables.A("pk")}))
    org = tables.Column("组织单位", order_by=("org__path",))
    period_end = tables.Column("结案期间", order_by=("period_end",))
    state = tables.Column("状态")
    file_count = tables.Column("抽取案卷", orderable=False)
    done_count = tables.Column("已评定", orderable=False)
    notice_number = tables.Column("评查通报", orderable=False)

    class Meta:
        model = Campaign
        fields = ("title", "org", "period_end", "state", "file_count", "done_count", "notice_number")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "campaign-table"}

    def render_period_end(self, value, record):
        return f"{record.period_start:%Y-%m-%d} 至 {value:%Y-%m-%d}"


class FileTable(tables.Table):
    seq = tables.Column("序号", linkify=("evaluation:file_detail", {"pk": tables.A("pk")}))
    case = tables.Column("案号", accessor="case__case_no", order_by=("case__case_no",),
                         linkify=("evaluation:file_detail", {"pk": tables.A("pk")}))
    title = tables.Column("案由", accessor="case__title", orderable=False)
    org = tables.Column("被评查单位", order_by=("org__path",))
    campaign = tables.Column("评查活动", accessor="campaign__title", order_by=("campaign_id",))
    state = tables.Column("状态")
    score = tables.Column("得分")
    grade = tables.Column("等次")
    problem_count = tables.Column("问题数")

    class Meta:
        model = EvaluationFile
        fields = ("seq", "case", "title", "org", "campaign", "state", "score", "grade", "problem_count")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "file-table"}

    def render_grade(self, value, record):
        return format_html('<span class="badge text-bg-{} grade-{}">{}</span>', GRADE_BADGE.get(record.grade, "light"),
                           record.grade, value)


class SheetTable(tables.Table):
    name = tables.Column("名称", linkify=("evaluation:sheet_detail", {"pk": tables.A("pk")}))
    item_count = tables.Column("项目数")
    excellent_min = tables.Column("优秀最低分")
    pass_min = tables.Column("合格最低分")
    is_active = tables.BooleanColumn("启用", yesno="启用,停用")

    class Meta:
        model = ScoringSheet
        fields = ("name", "item_count", "excellent_min", "pass_min", "is_active")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "sheet-table"}

    def render_name(self, value, record):
        if record.is_local_default:
            return format_html('{} <span class="badge text-bg-warning">本地默认</span>', value)
        return value
