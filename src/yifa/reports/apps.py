from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "yifa.reports"
    label = "reports"
    verbose_name = "领导驾驶舱与报告"

    def ready(self):
        from . import demo, home, sweep, tasks  # noqa: F401  (demo loader, leader home figures, rollup sweep step and task)
