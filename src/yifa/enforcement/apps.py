from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "yifa.enforcement"
    label = "enforcement"
    verbose_name = "行政执法"

    def ready(self):
        # transition tables, demo loader, sweep task and to-do provider
        from . import demo, sweep, todos, workflows  # noqa: F401
