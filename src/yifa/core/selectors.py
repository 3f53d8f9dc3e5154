from .models import Notification
from .todos import banners_for, todos_for  # noqa: F401  (re-exported: the home page's to-do list and banners)


def unread_notification_count(user) -> int:
    return Notification.objects.for_user(user).filter(read_at__isnull=True).count()


def notifications_for(user):
    return Notification.objects.for_user(user)
