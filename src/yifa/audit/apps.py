from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "yifa.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self):
        # the sweep's checkpoint task, and the pre-commit hook that records committed state
        from . import demo, services, sweep  # noqa: F401  (demo baseline step)
