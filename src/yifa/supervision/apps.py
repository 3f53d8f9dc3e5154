from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "yifa.supervision"
    label = "supervision"
    verbose_name = "行政执法监督"

    def ready(self):
        from . import demo, rules_demo, sweep, todos, workflows  # noqa: F401  (demo loaders, sweep task, to-dos, transitions)
