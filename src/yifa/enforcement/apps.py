from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "yifa.enforcement"
    label = "enforcement"
    verbose_name = "行政执法"
