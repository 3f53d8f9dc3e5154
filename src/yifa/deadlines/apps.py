from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "yifa.deadlines"
    label = "deadlines"
    verbose_name = "法定期限"
