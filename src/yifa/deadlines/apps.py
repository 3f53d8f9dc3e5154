from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "yifa.deadlines"
    label = "deadlines"
    verbose_name = "法定期限"

    def ready(self):
        # Register the sweep task ("deadlines"), the home page's to-do provider and the demo loader.
        from . import demo, sweep, todos  # noqa: F401
