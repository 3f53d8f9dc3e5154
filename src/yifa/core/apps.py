from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yifa.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self):
        from . import choices

        choices.apply()  # empty choices say 全部 (filters) / 请选择 (forms)
        from . import health  # noqa: F401  (the sweep's line of the system health panel)
        from . import tasks  # noqa: F401  (the task queue's housekeeping sweep step)
