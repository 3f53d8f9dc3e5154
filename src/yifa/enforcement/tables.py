import django_tables2 as tables
from django.utils.html import format_html

from yifa.core import clock
from yifa.deadlines.tables import DueColumn

from .models import Case, DisclosureChange, EnforcementBody, EnforcementItem, Officer, PriorDisclosure

BADGES = {"normal": ("success", "正常"), "yellow": ("warning", "临期"), "red": ("danger", "超期"),
          "closed": ("light", "已办结")}
ATTRS = {"class": "table table-sm table-hover align-middle"}


def due_badge(status):
    cls, label = BADGES.get(status, ("light", status))
    return format_html('<span class="badge text-bg-{} due-{}">{}</span>', cls, status, label)


class CaseTable(tables.Table):
    case_no = tables.Column("案号", linkify=("enforcement:case_detail", {"pk": tables.A("pk")}))
    title = tables.Column("案由")
    party_name = tables.Column("当事人")
    org = tables.Column("办案单位", order_by=("org__path",))
    item = tables.Column("执法事项", orderable=False)
    state = tables.Column("环节", accessor="state_label", order_by=("state",))
    filed_on = tables.DateColumn(verbose_name="立案日期", format="Y-m-d")
    due = DueColumn(verbose_name="届满日")
    due_status = tables.Column("期限状态", accessor="pk", orderable=False)

    class Meta:
        model = Case
        fields = ("case_no", "title", "party_name", "org", "item", "state", "filed_on", "due", "due_status")
        attrs = {**ATTRS, "id": "case-table"}

    def __init__(self, *args, today=None, **kwargs):
        self.today = today or clock.today()
        super().__init__(*args, **kwargs)

    def render_due_status(self, record):
        return due_badge(record.due_status_on(self.today))


class BodyTable(tables.Table):
    name = tables.Column("主体名称", linkify=("enforcement:body_detail", {"pk": tables.A("pk")}))

    class Meta:
        model = EnforcementBody
        fields = ("name", "org", "kind", "is_active")
        attrs = {**ATTRS, "id": "body-table"}


class OfficerTable(tables.Table):
    name = tables.Column("姓名", linkify=("enforcement:officer_detail", {"pk": tables.A("pk")}))
    hours_this_year = tables.Column("本年度培训学时", orderable=False)

    class Meta:
        model = Officer
        fields = ("name", "certificate_no", "org", "valid_from", "valid_to", "status", "hours_this_year")
        attrs = {**ATTRS, "id": "officer-table"}


class ItemTable(tables.Table):
    name = tables.Column("事项名称", linkify=("enforcement:item_detail", {"pk": tables.A("pk")}))

    class Meta:
        model = EnforcementItem
        fields = ("code", "name", "category", "org", "is_active")
        attrs = {**ATTRS, "id": "item-table"}


class PriorDisclosureTable(tables.Table):
    """事前公开 per unit: what is published, since when, where."""

    org = tables.Column("执法单位", order_by=("org__path",))
    items_published = tables.BooleanColumn(verbose_name="执法事项", yesno="已公开,未公开")
    bases_published = tables.BooleanColumn(verbose_name="执法依据", yesno="已公开,未公开")
    procedures_published = tables.BooleanColumn(verbose_name="执法程序", yesno="已公开,未公开")
    published_on = tables.DateColumn(verbose_name="公开日期", format="Y-m-d")
    url = tables.Column("公开网址或位置", empty_values=(), default="—")

    class Meta:
        model = PriorDisclosure
        fields = ("org", "items_published", "bases_published", "procedures_published", "published_on", "url")
        attrs = {**ATTRS, "id": "disclosure-table"}
        order_by = ("org",)


class DisclosureChangeTable(tables.Table):
    """Changes to publish (事前公开 kept current): what changed, by when, published or not."""

    org = tables.Column("执法单位", order_by=("org__path",))
    changed_on = tables.DateColumn(verbose_name="变更日期", format="Y-m-d")
    what = tables.Column("变更事项", accessor="what", orderable=False)
    description = tables.Column("变更内容")
    due = DueColumn(verbose_name="更新公开期限")
    published_on = tables.DateColumn(verbose_name="更新公开日期", format="Y-m-d", default="未公开")

    class Meta:
        model = DisclosureChange
        fields = ("org", "changed_on", "what", "description", "due", "published_on")
        attrs = {**ATTRS, "id": "disclosure-change-table"}
        order_by = ("-changed_on",)
