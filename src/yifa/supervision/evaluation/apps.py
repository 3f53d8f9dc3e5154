from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "yifa.supervision.evaluation"
    label = "evaluation"
    verbose_name = "案卷评查"

    def ready(self):
        from . import demo, todos, workflows  # noqa: F401  (demo loader, to-do provider, the campaign's table)
