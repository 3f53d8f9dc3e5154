import django_tables2 as tables

from yifa.deadlines.tables import DueColumn

from .models import Decision, EducationSession, Litigation, Notice, Person, Reconsideration, WrongCase

ATTRS = {"class": "table table-sm table-hover align-middle"}


class LitigationTable(tables.Table):
    case_number = tables.Column("案号", linkify=("accountability:litigation_detail", {"pk": tables.A("pk")}))
    org = tables.Column("被告单位", order_by=("org__path",))
    claimant = tables.Column("原告")
    challenged_act = tables.Column("被诉行政行为", orderable=False)
    court = tables.Column("法院")
    filed_on = tables.DateColumn(verbose_name="立案日期", format="Y-m-d")
    head_appeared = tables.BooleanColumn(verbose_name="负责人出庭")
    outcome = tables.Column("结果")
    appeal_state = tables.Column("上诉/生效")
    effective_on = tables.DateColumn(verbose_name="生效日期", format="Y-m-d")

    class Meta:
        model = Litigation
        fields = ("case_number", "org", "claimant", "challenged_act", "court", "filed_on", "head_appeared", "outcome",
                  "appeal_state", "effective_on")
        attrs = {**ATTRS, "id": "litigation-table"}


class ReconsiderationTable(tables.Table):
    case_number = tables.Column("案号", linkify=("accountability:reconsideration_detail", {"pk": tables.A("pk")}))
    org = tables.Column("被申请人", order_by=("org__path",))
    claimant = tables.Column("申请人")
    challenged_act = tables.Column("被申请行政行为", orderable=False)
    organ = tables.Column("复议机关")
    filed_on = tables.DateColumn(verbose_name="受理日期", format="Y-m-d")
    outcome = tables.Column("结果")

    class Meta:
        model = Reconsideration
        fields = ("case_number", "org", "claimant", "challenged_act", "organ", "filed_on", "outcome")
        attrs = {**ATTRS, "id": "reconsideration-table"}


class WrongCaseTable(tables.Table):
    title = tables.Column("错案", linkify=("accountability:wrong_case_detail", {"pk": tables.A("pk")}))
    org = tables.Column("责任单位", order_by=("org__path",))
    trigger = tables.Column("来源")
    opened_on = tables.DateColumn(verbose_name="认定日期", format="Y-m-d")
    due = DueColumn(verbose_name="倒查期限", accessor="backtrack__due")
    state = tables.Column("状态")

    class Meta:
        model = WrongCase
        fields = ("title", "org", "trigger", "opened_on", "due", "state")
        attrs = {**ATTRS, "id": "wrong-case-table"}


class PersonTable(tables.Table):
    name = tables.Column("姓名", linkify=("accountability:person_detail", {"pk": tables.A("pk")}))
    org = tables.Column("单位", order_by=("org__path",))
    post = tables.Column("职务")
    decision_count = tables.Column("问责次数", orderable=False)
    restricted_until = tables.Column("评优评先", orderable=False, empty_values=())

    class Meta:
        model = Person
        fields = ("name", "org", "post", "decision_count", "restricted_until")
        attrs = {**ATTRS, "id": "person-table"}

    def render_restricted_until(self, value):
        return restriction_cell(value)


class DecisionTable(tables.Table):
    person = tables.Column("被问责人", linkify=("accountability:person_detail", {"pk": tables.A("person_id")}))
    org = tables.Column("单位", order_by=("org__path",))
    method = tables.Column("问责方式")
    authority = tables.Column("决定机关")
    decided_on = tables.DateColumn(verbose_name="决定日期", format="Y-m-d")
    doc_number = tables.Column("文号")
    impact_until = tables.DateColumn(verbose_name="影响期至", format="Y-m-d")

    class Meta:
        model = Decision
        fields = ("person", "org", "method", "authority", "decided_on", "doc_number", "impact_until")
        attrs = {**ATTRS, "id": "decision-table"}


class NoticeTable(tables.Table):
    title = tables.Column("标题", linkify=("accountability:notice_detail", {"pk": tables.A("pk")}))
    doc_number = tables.Column("文号")
    issued_on = tables.DateColumn(verbose_name="印发日期", format="Y-m-d")

    class Meta:
        model = Notice
        fields = ("title", "doc_number", "issued_on")
        attrs = {**ATTRS, "id": "notice-table"}


class SessionTable(tables.Table):
    title = tables.Column("名称", linkify=("accountability:session_detail", {"pk": tables.A("pk")}))
    org = tables.Column("组织单位", order_by=("org__path",))
    kind = tables.Column("类型")
    held_on = tables.DateColumn(verbose_name="日期", format="Y-m-d")
    attendance = tables.Column("参加人次")

    class Meta:
        model = EducationSession
        fields = ("title", "org", "kind", "held_on", "attendance")
        attrs = {**ATTRS, "id": "session-table"}


def restriction_cell(value):
    """评优评先 flag of a person list: in words, never a bare date or None."""
    from django.utils.html import format_html

    if value is None:
        return "可参加"
    return format_html('<span class="badge text-bg-danger restricted-flag">影响期内不得评先评优（至 {}）</span>',
                       value.strftime("%Y-%m-%d"))

