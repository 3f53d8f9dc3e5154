"""The core's own lines of the administrator's system health panel: the periodic sweep."""

from django.conf import settings
from django.utils import timezone

from yifa.orgs.models import Role

from .models import JobState
from .todos import Health, register_health


@register_health
def sweep_health(user) -> list[Health]:
    from .sweep import last_run

    if not user.has_role(Role.ADMIN):
        return []
    run = last_run()
    if run is None:
        return [Health(label="定时巡检", value="从未运行：临期/超期预警和通知不会生成", level="danger",
                       detail="请确认后台任务进程正在运行（运维说明见 README“生产部署”一节）")]
    when = timezone.localtime(run.finished_at).strftime("%Y-%m-%d %H:%M")
    if run.state == JobState.FAILED:
        detail = (run.result or {}).get("error") or f"{(run.result or {}).get('parts_failed', 0)} 个分片失败"
        return [Health(label="定时巡检", value=f"最近一次 {when} 运行失败", level="danger", detail=detail)]
    stale = (timezone.now() - run.finished_at).total_seconds() > 3 * settings.YIFA_SWEEP_INTERVAL
    return [Health(label="定时巡检", value=f"最近一次 {when} 完成" + ("，已超过三个巡检周期未再运行" if stale else ""),
                   level="warning" if stale else "ok")]
