from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "yifa.assessment"
    label = "assessment"
    verbose_name = "考核评价"
