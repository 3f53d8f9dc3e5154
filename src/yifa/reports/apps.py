from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "yifa.reports"
    label = "reports"
    verbose_name = "领导驾驶舱与报告"
