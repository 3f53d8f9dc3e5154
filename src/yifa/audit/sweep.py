"""The sweep anchors the chain's head: a signed checkpoint whenever the head has moved."""

from django.urls import reverse

from yifa.core import sweep
from yifa.core import todos as health


@sweep.register("audit.checkpoint", last=True)  # after the tasks that append audit rows
def run(today):
    from .services import write_checkpoint

    return {"checkpoints": 1 if write_checkpoint(only_if_changed=True) else 0}


@health.register_health
def checkpoint_health(user):
    """The administrator's home: when the chain's head was last anchored, and whether the
    latest checkpoint is genuine."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    from yifa.orgs.models import Role

    from .services import checkpoint_is_genuine, latest_checkpoint

    if not user.has_role(Role.ADMIN):
        return []
    url = reverse("audit:event_list")
    cp = latest_checkpoint()
    if cp is None:
        return [health.Health(label="审计日志检查点", value="尚无检查点", level="warning", url=url)]
    created = parse_datetime(cp.get("created_at") or "")
    when = timezone.localtime(created).strftime("%Y-%m-%d %H:%M") if created else "时间不明"
    if not checkpoint_is_genuine(cp):
        return [health.Health(label="审计日志检查点", value=f"最近检查点（{when}）签名不符，请核验审计链", level="danger",
                              url=url)]
    return [health.Health(label="审计日志检查点", value=f"最近一次 {when}，共 {cp.get('rows', 0)} 条记录", url=url)]
