from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "yifa.accountability"
    label = "accountability"
    verbose_name = "错案问责"

    def ready(self):
        from . import demo, sweep, todos  # noqa: F401  (demo loader, sweep task, to-do provider)
        from yifa.enforcement import remedies

        from .selectors import remedy_periods

        remedies.register(remedy_periods)  # reconsideration/litigation pause the surcharge
