import django_tables2 as tables
from django.utils.html import format_html

from yifa.core import clock
from .models import ActionItem, AdoptedRule, JointMeeting


class MeetingTable(tables.Table):
    title = tables.Column("会议名称", linkify=("meetings:meeting_detail", {"pk": tables.A("pk")}))
    held_on = tables.DateColumn(verbose_name="会议日期", format="Y-m-d")
    quarter = tables.Column("季度", order_by=("year", "quarter"))
    org = tables.Column("召集单位", order_by=("org__path",))
    item_count = tables.Column("议定事项", orderable=False)
    open_count = tables.Column("落实中", orderable=False)
    overdue_count = tables.Column("逾期", orderable=False)

    class Meta:
        model = JointMeeting
        fields = ("title", "held_on", "quarter", "org", "item_count", "open_count", "overdue_count")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "meeting-table"}

    def render_quarter(self, record):
        return f"{record.year}年第{record.quarter}季度"


class ActionItemTable(tables.Table):
    title = tables.Column("议定事项", linkify=("meetings:item_detail", {"pk": tables.A("pk")}))
    meeting = tables.Column("会议", accessor="meeting__title", order_by=("meeting__held_on",))
    org = tables.Column("责任单位", order_by=("org__path",))
    owner = tables.Column("责任人", accessor="owner__display_name", default="—")
    due = tables.DateColumn(verbose_name="完成期限", format="Y-m-d")
    state = tables.Column("状态")
    done_on = tables.DateColumn(verbose_name="完成日期", format="Y-m-d")

    class Meta:
        model = ActionItem
        fields = ("title", "meeting", "org", "owner", "due", "state", "done_on")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "item-table"}

    def render_state(self, value, record):
        if record.state == "open" and record.due < clock.today():
            return format_html('<span class="badge text-bg-danger state-overdue">{}（逾期）</span>', value)
        badge = "success" if record.state == "done" else "warning"
        return format_html('<span class="badge text-bg-{} state-{}">{}</span>', badge, record.state, value)


class AdoptedRuleTable(tables.Table):
    title = tables.Column("制度名称", linkify=("meetings:rule_detail", {"pk": tables.A("pk")}))
    doc_number = tables.Column("文号")
    org = tables.Column("制定单位", order_by=("org__path",))
    adopted_on = tables.DateColumn(verbose_name="印发日期", format="Y-m-d")
    cause = tables.Column("起因", orderable=False, empty_values=())

    class Meta:
        model = AdoptedRule
        fields = ("title", "doc_number", "org", "adopted_on", "cause")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "rule-table"}

    def render_cause(self, record):
        parts = []
        if record.finding_id:
            parts.append(f"监督问题 {record.finding_id}")
        if record.case_id:
            parts.append(f"案件 {record.case.case_no}")
        if record.source_type_id:
            parts.append(f"{record.source_type.name} {record.source_id}")
        return "；".join(parts) or record.cause or "—"
