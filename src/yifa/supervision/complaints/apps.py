from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "yifa.supervision.complaints"
    label = "complaints"
    verbose_name = "投诉举报"

    def ready(self):
        from . import demo, todos, workflows  # noqa: F401
