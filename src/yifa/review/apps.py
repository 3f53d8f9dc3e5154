from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "yifa.review"
    label = "review"
    verbose_name = "合法性审查"
