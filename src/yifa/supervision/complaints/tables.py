import django_tables2 as tables
from django.utils.html import format_html

from yifa.deadlines.tables import DueColumn

from .models import Complaint

STATE_BADGE = {"received": "secondary", "routed": "warning", "replied": "info", "closed": "success",
               "rejected": "dark"}


class ComplaintTable(tables.Table):
    """Personal data masked: the full name and phone are on the detail page only."""

    query_code = tables.Column("查询码", linkify=("complaints:detail", {"pk": tables.A("pk")}))
    received_on = tables.DateColumn(verbose_name="接收日期", format="Y-m-d")
    source = tables.Column("来源")
    complainant = tables.Column("投诉人", accessor="complainant_name", orderable=False)
    phone = tables.Column("电话", accessor="complainant_phone", orderable=False)
    subject_unit = tables.Column("被投诉单位", order_by=("subject_unit__path",))
    org = tables.Column("承办单位", order_by=("org__path",))
    category = tables.Column("类别")
    due = DueColumn(verbose_name="办理期限")
    state = tables.Column("状态")

    class Meta:
        model = Complaint
        fields = ("query_code", "received_on", "source", "complainant", "phone", "subject_unit", "org", "category",
                  "due", "state")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "complaint-table"}

    def render_complainant(self, record):
        return record.masked_name

    def render_phone(self, record):
        return record.masked_phone

    def render_state(self, value, record):
        return format_html('<span class="badge text-bg-{} state-{}">{}</span>', STATE_BADGE.get(record.state, "light"),
                           record.state, value)
