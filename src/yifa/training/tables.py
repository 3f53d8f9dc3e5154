import django_tables2 as tables
from django.utils.html import format_html

from yifa.enforcement.models import Officer

from .models import Training
from .selectors import CERT_BADGES, CERT_LABELS


def cert_badge(state):
    return format_html('<span class="badge text-bg-{} cert-{}">{}</span>', CERT_BADGES.get(state, "light"), state,
                       CERT_LABELS.get(state, state))


class TrainingTable(tables.Table):
    title = tables.Column("培训名称", linkify=("training:training_detail", {"pk": tables.A("pk")}))
    kind = tables.Column("类型")
    org = tables.Column("组织单位", order_by=("org__path",))
    held_on = tables.DateColumn(verbose_name="日期", format="Y-m-d")
    hours = tables.Column("学时")
    trainer = tables.Column("授课人")
    attended = tables.Column("出席人次", orderable=False)

    class Meta:
        model = Training
        fields = ("title", "kind", "org", "held_on", "hours", "trainer", "attended")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "training-table"}


class OfficerHoursTable(tables.Table):
    name = tables.Column("姓名", linkify=("training:officer_detail", {"pk": tables.A("pk")}))
    certificate_no = tables.Column("执法证号")
    org = tables.Column("单位", order_by=("org__path",))
    hours_done = tables.Column("本年度学时", attrs={"td": {"class": "hours-done"}})
    hours_required = tables.Column("应修学时", orderable=False)
    meets = tables.Column("学时", orderable=False, empty_values=())
    valid_to = tables.DateColumn(verbose_name="证件有效期至", format="Y-m-d")
    cert_state = tables.Column("执法证", orderable=False, empty_values=())
    restricted_until = tables.Column("评优评先", orderable=False, empty_values=())

    class Meta:
        model = Officer
        fields = ("name", "certificate_no", "org", "hours_done", "hours_required", "meets", "valid_to", "cert_state",
                  "restricted_until")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "officer-table"}

    # Excel gets the numbers themselves and the states in words (the page shows badges)
    def value_hours_done(self, value):
        return value or 0

    def value_hours_required(self, value):
        return value

    def value_meets(self, value, record):
        if record.status != "active":
            return record.get_status_display()
        return "是" if value else "否"

    def value_cert_state(self, value):
        return CERT_LABELS.get(value, value)

    def render_restricted_until(self, record):
        value = getattr(record, "restricted_until", None)
        if value is None:
            return "可参加"
        from django.utils.html import format_html

        return format_html('<span class="badge text-bg-danger restricted-flag">影响期内不得评先评优（至 {}）</span>',
                           value.strftime("%Y-%m-%d"))

    def render_hours_done(self, value):
        return f"{value.normalize():f}" if value else "0"

    def render_hours_required(self, value):
        return f"{value.normalize():f}"

    def render_meets(self, value, record):
        if record.status != "active":
            return format_html('<span class="badge text-bg-secondary">{}</span>', record.get_status_display())
        if value:
            return format_html('<span class="badge text-bg-success meets">已达标</span>')
        return format_html('<span class="badge text-bg-warning below">未达标（差 {}）</span>',
                           f"{(record.hours_required - record.hours_done).normalize():f}")

    def render_cert_state(self, value, record):
        return cert_badge(value)
