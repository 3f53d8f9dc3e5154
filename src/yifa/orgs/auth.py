from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header


class YifaModelBackend(ModelBackend):
    """Django's backend, except that demo accounts never sign in in production, and the
    signed-in user of a request comes with their unit (every page shows it and scopes by
    it): one query instead of two on every request."""

    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        model = get_user_model()
        user = model._default_manager.select_related("org").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        if settings.PRODUCTION and getattr(user, "is_demo", False):
            return False
        return super().user_can_authenticate(user)


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against ApiToken: refused once expired, revoked (password
    changed, account disabled, revoked by its owner) or when the account may not sign in."""

    keyword = "Token"
    # last_used_at is written at most this often per token, not on every request
    TOUCH_EVERY = timedelta(minutes=5)

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed("令牌格式错误：应为“Authorization: Token 令牌”。")
        try:
            key = auth[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("令牌格式错误。") from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key):
        from .models import ApiToken, hash_token_key

        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token_key(key)).first()
        if token is None or not token.is_active:
            raise exceptions.AuthenticationFailed("令牌无效、已过期或已撤销，请重新获取令牌。")
        user = token.user
        if not YifaModelBackend().user_can_authenticate(user):
            raise exceptions.AuthenticationFailed("该账号已停用，令牌不能使用。")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > self.TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token

    def authenticate_header(self, request):
        return self.keyword
