from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "yifa.accountability"
    label = "accountability"
    verbose_name = "错案问责"
