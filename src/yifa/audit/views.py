import django_tables2 as tables
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from yifa.core import labels
from yifa.core.views import ScopedListView
from yifa.orgs.models import Role

from .models import AuditEvent
from .selectors import events_visible_to


class AuditEventTable(tables.Table):
    """The audit log for a person: the action said in words (the code stays in the row)."""

    id = tables.Column("序号")
    created_at = tables.DateTimeColumn(format="Y-m-d H:i:s", verbose_name="时间")
    actor_name = tables.Column("操作人")
    action = tables.Column("操作")
    object_repr = tables.Column("对象")
    org = tables.Column("单位", orderable=False)
    reason = tables.Column("原因", orderable=False)

    def render_action(self, value):
        return labels.label(value, "audit")

    class Meta:
        model = AuditEvent
        fields = ("id", "created_at", "actor_name", "action", "object_repr", "org", "reason")
        attrs = {"class": "table table-sm table-hover"}


class AuditEventListView(ScopedListView):
    title = "审计日志"
    table_class = AuditEventTable

    def get_base_queryset(self):
        if not self.request.user.has_role(Role.ADMIN, Role.SUPERVISOR, Role.LEADER):
            raise PermissionDenied("只有系统管理员、监督员和领导可以查看审计日志。")
        qs = events_visible_to(self.request.user)
        q = self.request.GET.get("q")
        if not q:
            return qs
        # a person searches by the action's Chinese name (报送审查) as well as by its code
        codes = [code for code, text in labels.labels("audit").items() if q in text]
        return qs.filter(Q(action__icontains=q) | Q(action__in=codes))
