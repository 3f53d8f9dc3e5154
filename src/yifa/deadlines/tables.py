import django_tables2 as tables
from django.utils.html import format_html, format_html_join

from .models import DeadlineRule, HolidayDay, TrackedDeadline
from .templatetags.deadline_tags import due as due_filter
from .words import due_text

BADGES = {"normal": ("success", "正常"), "yellow": ("warning", "临期"), "red": ("danger", "超期"),
          "suspended": ("secondary", "已中止"), "closed": ("light", "已办结")}


def status_badge(value):
    cls, label = BADGES.get(value, ("light", value))
    return format_html('<span class="badge text-bg-{} due-{}">{}</span>', cls, value, label)


class DueColumn(tables.DateColumn):
    """A due date column for deadlines and for owners that mirror one (`due`,
    `due_provisional`): marked 暂定 on the page and in exports when provisional.
    `accessor` may point at a related owner (e.g. "backtrack__due")."""

    def __init__(self, verbose_name="届满日", **kwargs):
        kwargs.setdefault("format", "Y-m-d")
        super().__init__(verbose_name=verbose_name, **kwargs)

    def _holder(self, record, bound_column):
        path = str(bound_column.accessor).split("__")[:-1]
        for part in path:
            record = getattr(record, part, None)
            if record is None:
                return None
        return record

    def render(self, value, record, bound_column):
        holder = self._holder(record, bound_column)
        return due_filter(holder) if holder is not None else "—"

    def value(self, value, record, bound_column):
        holder = self._holder(record, bound_column)
        return due_text(holder) if holder is not None else ""


class TrackedDeadlineTable(tables.Table):
    title = tables.Column("事项", linkify=("deadlines:tracked_detail", {"pk": tables.A("pk")}))
    rule = tables.Column("规则", accessor="rule__name", order_by=("rule__code",))
    org = tables.Column("承办单位", order_by=("org__path",))
    handler = tables.Column("承办人", orderable=False)
    start = tables.DateColumn(verbose_name="起算日", format="Y-m-d")
    due = DueColumn(verbose_name="届满日")
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



class RuleTable(tables.Table):
    """期限规则: the page shows each rule's local provisions beside its basis; the export has
    the term and the extension as numbers, the unit in its own column."""

    name = tables.Column("名称", order_by=("name", "code"))
    n = tables.Column("期限")
    unit = tables.Column("计算单位", orderable=False)
    direction = tables.Column("类型", orderable=False)
    extension = tables.Column("延长", empty_values=(), orderable=False)
    suspensions_apply = tables.BooleanColumn(verbose_name="中止", yesno="适用,—", orderable=False)
    basis = tables.Column("依据", orderable=False)

    class Meta:
        model = DeadlineRule
        fields = ("name", "n", "unit", "direction", "extension", "suspensions_apply", "basis")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "rule-table"}
        row_attrs = {"id": lambda record: f"rule-{record.code}"}

    def render_name(self, value, record):
        request = getattr(self, "request", None)
        if request is not None and request.user.has_role("admin"):  # the code, for administrators only
            return format_html('{}<div class="admin-only small text-muted"><code>{}</code></div>', value, record.code)
        return value

    def render_extension(self, record):
        if not record.extensions_allowed:
            return "—"
        return f"+{record.extension_n} 个{record.get_unit_display()}（{record.extensions_allowed} 次）"

    def value_extension(self, record):
        return self.render_extension(record) if record.extensions_allowed else ""

    def _overrides(self, record):
        return [f"{o.org.name}：{o.n} 个{record.get_unit_display()}（{o.basis}）"
                for o in getattr(record, "visible_overrides", ())]

    def render_basis(self, value, record):
        badge = format_html(' <span class="badge text-bg-warning">本地默认值</span>') if record.is_local_default else ""
        lines = format_html_join("", '<div class="small text-info">{}</div>', ((t,) for t in self._overrides(record)))
        return format_html("{}{}{}", value, badge, lines)

    def value_basis(self, value, record):
        return "；".join([value + ("（本地默认值）" if record.is_local_default else ""), *self._overrides(record)])
