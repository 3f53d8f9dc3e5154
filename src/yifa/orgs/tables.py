import django_tables2 as tables

from .models import Organization, User


class OrganizationTable(tables.Table):
    name = tables.Column("单位名称", linkify=("orgs:org_detail", {"pk": tables.A("pk")}), order_by=("path",))
    kind = tables.Column("单位类型")
    code = tables.Column("单位代码")
    parent = tables.Column("上级单位", orderable=False)
    head_name = tables.Column("负责人", orderable=False)
    is_active = tables.BooleanColumn("启用", yesno="是,否")

    class Meta:
        model = Organization
        fields = ("name", "kind", "code", "parent", "head_name", "is_active")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_name(self, record, value):
        from django.utils.html import format_html

        return format_html('<span style="padding-left:{}em">{}</span>', max(record.depth - 1, 0), value)


class UserTable(tables.Table):
    display_name = tables.Column("姓名", linkify=("orgs:user_detail", {"pk": tables.A("pk")}))
    username = tables.Column("用户名")
    org = tables.Column("所属单位", order_by=("org__path",))
    roles = tables.Column("角色", empty_values=(), orderable=False)
    post = tables.Column("职务", orderable=False)
    is_active = tables.BooleanColumn("启用", yesno="是,否")

    class Meta:
        model = User
        fields = ("display_name", "username", "org", "roles", "post", "is_active")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_roles(self, record):
        return "、".join(record.role_labels())
