"""Chinese labels of deadline rules (data: read from the rule table) and the deadlines app's
audit actions (see yifa.core.labels)."""

from django.db.models.signals import post_delete, post_save

from yifa.core.labels import invalidate, register, register_source


@register_source("rule")
def deadline_rule_names() -> dict:
    from .models import DeadlineRule

    return dict(DeadlineRule.objects.values_list("code", "name"))


def _forget(sender, **kwargs):
    invalidate("rule")


post_save.connect(_forget, sender="deadlines.DeadlineRule", dispatch_uid="labels-deadline-rule-saved")
post_delete.connect(_forget, sender="deadlines.DeadlineRule", dispatch_uid="labels-deadline-rule-deleted")

register("audit", {
    "deadline.start": "开始计算期限",
    "deadline.close": "期限办结",
    "deadline.extend": "延长期限",
    "deadline.suspend": "中止计算期限",
    "deadline.resume": "恢复计算期限",
    "deadline.recompute": "按放假安排重新计算届满日",
    "deadline_rule.override": "设定期限特别规定",
    "deadline_rule.override_delete": "删除期限特别规定",
    "holidays.import": "导入放假安排",
    "holidays.complete": "确认全年放假安排已录入",
    "holidays.incomplete": "标记全年放假安排未录入完整",
})
register("field", {
    "suspended_from": "中止起始日",
    "resumed_on": "恢复日",
    "old_due": "原届满日",
})
