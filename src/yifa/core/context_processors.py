from django.conf import settings

from .navigation import modules_for


def shell(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"yifa_env": settings.YIFA_ENV}
    from .selectors import unread_notification_count
    from .viewkit import pop_kept_input

    return {
        "kept_input": pop_kept_input(request) if request.method == "GET" else None,
        "yifa_env": settings.YIFA_ENV,
        "nav_modules": modules_for(user),
        "unread_notifications": unread_notification_count(user),
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
        # an administrator may see a code as secondary small text (class "admin-only")
        "yifa_is_admin": user.has_role("admin"),
    }
