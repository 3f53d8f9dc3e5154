from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "yifa.review"
    label = "review"
    verbose_name = "合法性审查"

    def ready(self):
        # the transition table, the to-do provider, the sweep task and the demo loader
        from . import demo, sweep, todos, workflows  # noqa: F401
