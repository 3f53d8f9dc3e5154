from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "yifa.supervision.meetings"
    label = "meetings"
    verbose_name = "联席会议与制度建设"

    def ready(self):
        from . import demo, sweep, todos  # noqa: F401
