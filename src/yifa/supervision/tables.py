import django_tables2 as tables
from django.utils.html import format_html

from yifa.deadlines.tables import DueColumn

from .models import Clue, Finding, Inspection, OpinionLetter

STATE_BADGE = {"open": "warning", "corrected": "info", "verified": "success"}


class InspectionTable(tables.Table):
    title = tables.Column("检查名称", linkify=("supervision:inspection_detail", {"pk": tables.A("pk")}))
    kind = tables.Column("类型")
    org = tables.Column("组织单位", order_by=("org__path",))
    period_start = tables.DateColumn(verbose_name="开始", format="Y-m-d")
    period_end = tables.DateColumn(verbose_name="结束", format="Y-m-d")
    joint_bodies = tables.Column("联合检查单位", orderable=False)
    finding_count = tables.Column("发现问题", orderable=False)

    class Meta:
        model = Inspection
        fields = ("title", "kind", "org", "period_start", "period_end", "joint_bodies", "finding_count")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "inspection-table"}


class FindingTable(tables.Table):
    id = tables.Column("编号", linkify=("supervision:finding_detail", {"pk": tables.A("pk")}))
    description = tables.Column("问题描述", linkify=("supervision:finding_detail", {"pk": tables.A("pk")}))
    org = tables.Column("被监督单位", order_by=("org__path",))
    category = tables.Column("类别")
    source = tables.Column("来源")
    raised_on = tables.DateColumn(verbose_name="发现日期", format="Y-m-d")
    due = DueColumn(verbose_name="整改期限")
    state = tables.Column("状态")

    class Meta:
        model = Finding
        fields = ("id", "description", "org", "category", "source", "raised_on", "due", "state")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "finding-table"}

    def render_description(self, value):
        return value[:40] + ("…" if len(value) > 40 else "")

    def render_state(self, value, record):
        return format_html('<span class="badge text-bg-{} state-{}">{}</span>', STATE_BADGE.get(record.state, "light"),
                           record.state, value)


class ClueTable(tables.Table):
    id = tables.Column("编号", linkify=("supervision:clue_detail", {"pk": tables.A("pk")}))
    rule_code = tables.Column("规则")
    case = tables.Column("对象", accessor="case__case_no", order_by=("case__case_no", "subject_label"),
                         empty_values=())
    org = tables.Column("单位", order_by=("org__path",))
    raised_on = tables.DateColumn(verbose_name="发现日期", format="Y-m-d")
    state = tables.Column("状态")

    class Meta:
        model = Clue
        fields = ("id", "rule_code", "case", "org", "raised_on", "state")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "clue-table"}

    def render_rule_code(self, value, record):
        rule = record.rule
        return rule.name if rule else "线上监督规则"

    def render_case(self, value, record):
        from django.utils.html import format_html

        url = record.subject_url
        return format_html('<a href="{}">{}</a>', url, record.subject_words) if url else record.subject_words

    def value_case(self, value, record):
        return record.subject_words


class LetterTable(tables.Table):
    doc_number = tables.Column("文号", linkify=("supervision:letter_detail", {"pk": tables.A("pk")}))
    tier = tables.Column("文书种类")
    title = tables.Column("标题", linkify=("supervision:letter_detail", {"pk": tables.A("pk")}))
    org = tables.Column("被监督单位", order_by=("org__path",))
    issued_on = tables.DateColumn(verbose_name="印发日期", format="Y-m-d")
    due = DueColumn(verbose_name="整改期限")
    state = tables.Column("状态")

    class Meta:
        model = OpinionLetter
        fields = ("doc_number", "tier", "title", "org", "issued_on", "due", "state")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "letter-table"}


class DecisionTable(tables.Table):
    doc_number = tables.Column("文号", linkify=("supervision:decision_detail", {"pk": tables.A("pk")}))
    org = tables.Column("被监督单位", order_by=("org__path",))
    kind = tables.Column("决定类型")
    issued_on = tables.DateColumn(verbose_name="印发日期", format="Y-m-d")
    due = DueColumn(verbose_name="履行期限")
    state = tables.Column("状态")

    class Meta:
        from .models import SupervisionDecision

        model = SupervisionDecision
        fields = ("doc_number", "org", "kind", "issued_on", "due", "state")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "decision-table"}


class NoticeTable(tables.Table):
    title = tables.Column("标题", linkify=("supervision:notice_detail", {"pk": tables.A("pk")}))
    doc_number = tables.Column("文号")
    state = tables.Column("状态")
    issued_on = tables.DateColumn(verbose_name="印发日期", format="Y-m-d")

    class Meta:
        from .models import Notice

        model = Notice
        fields = ("title", "doc_number", "state", "issued_on")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "notice-table"}
