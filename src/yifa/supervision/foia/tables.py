import django_tables2 as tables
from django.utils.html import format_html

from yifa.deadlines.tables import DueColumn

from .models import InfoRequest

STATE_BADGE = {"registered": "warning", "correction_requested": "secondary", "corrected": "warning",
               "consulting": "info", "replied": "success", "withdrawn": "dark"}


class InfoRequestTable(tables.Table):
    """Personal data masked: the full name (of a citizen) and phone are on the detail page only."""

    number = tables.Column("编号", accessor="seq", order_by=("year", "seq"),
                           linkify=("foia:detail", {"pk": tables.A("pk")}))
    received_on = tables.DateColumn(verbose_name="收到申请日期", format="Y-m-d")
    channel = tables.Column("申请方式")
    requester = tables.Column("申请人", accessor="requester_name", orderable=False)
    phone = tables.Column("联系电话", accessor="requester_phone", orderable=False)
    org = tables.Column("受理机关", order_by=("org__path",))
    due = DueColumn(verbose_name="答复期限")
    state = tables.Column("状态")
    reply_type = tables.Column("答复类型")

    class Meta:
        model = InfoRequest
        fields = ("number", "received_on", "channel", "requester", "phone", "org", "due", "state", "reply_type")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "inforequest-table"}

    def render_number(self, record):
        return record.number

    def render_requester(self, record):
        return record.masked_name

    def render_phone(self, record):
        return record.masked_phone

    def render_state(self, value, record):
        late = "（超期答复）" if record.on_time is False else ""
        return format_html('<span class="badge text-bg-{} state-{}">{}</span>{}', STATE_BADGE.get(record.state, "light"),
                           record.state, value, late)
