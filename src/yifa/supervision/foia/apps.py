from django.apps import AppConfig


class FoiaConfig(AppConfig):
    name = "yifa.supervision.foia"
    label = "foia"
    verbose_name = "政府信息公开申请"

    def ready(self):
        from . import demo, labels, sweep, todos, workflows  # noqa: F401
