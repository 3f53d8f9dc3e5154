import django_tables2 as tables
from django.utils.html import format_html

from .models import HolidayDay, TrackedDeadline

BADGES = {"normal": ("success", "正常"), "yellow": ("warning", "临期"), "red": ("danger", "超期"),
          "suspended": ("secondary", "已中止"), "closed": ("light", "已办结")}


def status_badge(value):
    cls, label = BADGES.get(value, ("light", value))
    return format_html('<span class="badge text-bg-{} due-{}">{}</span>', cls, value, label)


class TrackedDeadlineTable(tables.Table):
    title = tables.Column("事项", linkify=("deadlines:tracked_detail", {"pk": tables.A("pk")}))
    rule = tables.Column("规则", accessor="rule__code", order_by=("rule__code",))
    org = tables.Column("承办单位", order_by=("org__path",))
    handler = tables.Column("承办人", orderable=False)
    start = tables.DateColumn(verbose_name="起算日", format="Y-m-d")
    due = tables.DateColumn(verbose_name="届满日", format="Y-m-d")
    due_status = tables.Column("期限状态", orderable=False)
    state = tables.Column("办理状态")

    class Meta:
        model = TrackedDeadline
        fields = ("title", "rule", "org", "handler", "start", "due", "due_status", "state")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "tracked-table"}

    def render_due_status(self, value):
        return status_badge(value)


class HolidayDayTable(tables.Table):
    date = tables.DateColumn(verbose_name="日期", format="Y-m-d（D）")
    kind = tables.Column("类型")
    name = tables.Column("名称")
    source = tables.Column("来源", orderable=False)

    class Meta:
        model = HolidayDay
        fields = ("date", "kind", "name", "source")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "holiday-table"}
