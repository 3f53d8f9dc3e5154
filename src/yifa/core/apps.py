from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yifa.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self):
        from . import tasks  # noqa: F401  (the task queue's housekeeping sweep step)
