from .models import Notification
from .todos import (banners_for, figures_for, health_for, todo_groups,  # noqa: F401  (re-exported: the home page)
                    todos_for)


def unread_notification_count(user) -> int:
    return Notification.objects.for_user(user).filter(read_at__isnull=True).count()


def notifications_for(user):
    return Notification.objects.for_user(user)
