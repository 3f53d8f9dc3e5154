from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "yifa.reports"
    label = "reports"
    verbose_name = "领导驾驶舱与报告"

    def ready(self):
        from . import demo, sweep, tasks  # noqa: F401  (the demo loader, the rollup sweep step and task)
