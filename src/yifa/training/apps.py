from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "yifa.training"
    label = "training"
    verbose_name = "队伍建设"

    def ready(self):
        from . import demo, sweep, todos  # noqa: F401  (demo loader, sweep task, to-do provider)
