from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "yifa.supervision.evaluation"
    label = "evaluation"
    verbose_name = "案卷评查"
