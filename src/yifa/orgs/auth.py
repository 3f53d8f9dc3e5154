from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class YifaModelBackend(ModelBackend):
    """Django's backend, except that demo accounts never sign in in production."""

    def user_can_authenticate(self, user):
        if settings.PRODUCTION and getattr(user, "is_demo", False):
            return False
        return super().user_can_authenticate(user)
