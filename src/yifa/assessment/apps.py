from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "yifa.assessment"
    label = "assessment"
    verbose_name = "考核评价"

    def ready(self):
        from . import demo, todos  # noqa: F401  (demo loader; interview follow-up to-dos)
