from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "yifa.orgs"
    label = "orgs"
    verbose_name = "组织机构与人员"

    def ready(self):
        from . import demo  # noqa: F401  (registers the demo loader)
        from . import login_guard  # noqa: F401  (connects the spraying counters to the login signals)
