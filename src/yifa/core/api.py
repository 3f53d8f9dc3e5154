"""API conventions shared by every app: error format, pagination, scoped viewsets."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError

CODES = {400: "invalid", 401: "not_authenticated", 403: "permission_denied", 404: "not_found",
         405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 415: "unsupported_media_type",
         429: "throttled"}


def _flatten(detail):
    if isinstance(detail, dict):
        return {k: _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [str(x) if not isinstance(x, (dict, list)) else _flatten(x) for x in detail]
    return str(detail)


def error_body(status: int, message: str, fields=None, code=None):
    return {"code": code or CODES.get(status, "error"), "message": message, "fields": fields or {}}


def exception_handler(exc, context):
    """Every API error is JSON {code, message, fields}."""
    if isinstance(exc, DomainError):
        return Response(error_body(exc.status, exc.message, exc.fields, exc.code), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = "；".join(exc.messages) if not fields else "提交的数据有误。"
        return Response(error_body(400, message, _flatten(fields)), status=400)
    if isinstance(exc, OperationalError) and "locked" in str(exc).lower():
        # SQLite: another writer held the database past the timeout. Nothing was written.
        return Response(error_body(409, "系统繁忙，其他用户正在保存数据，请稍后重试。", code="busy"), status=409)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到该记录。")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "没有权限。")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = _flatten(detail) if isinstance(detail, dict) else {"non_field_errors": _flatten(detail)}
        response.data = error_body(400, "提交的数据有误。", fields)
    else:
        detail = getattr(exc, "detail", "")
        code = getattr(detail, "code", None) if not isinstance(detail, (list, dict)) else None
        response.data = error_body(response.status_code, str(detail) if not isinstance(detail, (list, dict)) else
                                   "请求有误。", code=CODES.get(response.status_code, code))
    return response


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Reads go through `visible_to(user)` only: anything else is 404."""

    def get_queryset(self):
        return self.queryset.model.objects.visible_to(self.request.user).select_related(*self.select_related)

    select_related: tuple = ()


class TransitionRequestSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="操作代码，见该资源的流程表")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, help_text="读取时的版本号；不一致时返回 409")
    on = serializers.DateField(required=False, help_text="行为发生日期（默认今天）")


class TransitionsMixin:
    """Adds `POST …/<id>/transitions/` to a scoped viewset: {action, reason, version, on}.
    Set `workflow` on the viewset. Errors: 404 not visible, 403 role, 409 illegal/stale/guard."""

    workflow = None

    @extend_schema(request=TransitionRequestSerializer)
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request, pk=None):
        from .workflows import transition

        obj = self.get_object()
        ser = TransitionRequestSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        obj = transition(obj, data["action"], actor=request.user, workflow=self.workflow, reason=data["reason"],
                         on=data.get("on"), expected_version=data.get("version"))
        return Response(self.get_serializer(obj).data)



# --- the OpenAPI schema and its docs page -----------------------------------------------------

class SchemaAccess(BasePermission):
    """/api/schema/ and /api/docs/: signed-in users only in production (the schema maps every
    endpoint); open in the demo and development, where the fuzz tests and integrators read it."""

    message = "请先登录后再查看接口文档。"

    def has_permission(self, request, view):
        from django.conf import settings

        return not settings.PRODUCTION or bool(request.user and request.user.is_authenticated)


class SchemaView(SpectacularAPIView):
    permission_classes = [SchemaAccess]


class SchemaDocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script served as a file (the CSP allows no inline script);
    a visitor who is not signed in (production) is sent to the login page, not shown JSON."""

    permission_classes = [SchemaAccess]

    def dispatch(self, request, *args, **kwargs):
        from django.conf import settings
        from django.contrib.auth.views import redirect_to_login

        if settings.PRODUCTION and not request.user.is_authenticated and request.GET.get("script") is None:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)
