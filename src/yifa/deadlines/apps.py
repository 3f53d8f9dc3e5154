from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "yifa.deadlines"
    label = "deadlines"
    verbose_name = "法定期限"

    def ready(self):
        # Register the sweep task ("deadlines") and the home page's to-do provider.
        from . import sweep, todos  # noqa: F401
