import django_filters
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from yifa.core.api import ScopedReadOnlyViewSet, error_body
from yifa.core.net import client_ip

from . import login_guard, selectors, services
from .models import Organization, OrgKind, Role, User
from .serializers import (ApiTokenSerializer, MeSerializer, OrganizationSerializer, TokenRequestSerializer,
                          TokenResponseSerializer, UserSerializer)


class OrganizationApiFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices)
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Organization
        fields = ["kind", "parent"]


class UserApiFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, field_name="role_assignments__role")
    q = django_filters.CharFilter(field_name="display_name", lookup_expr="icontains")

    class Meta:
        model = User
        fields = ["org", "role"]


class OrganizationViewSet(ScopedReadOnlyViewSet):
    """单位（仅限本单位及下级单位）。"""

    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationApiFilter


class UserViewSet(ScopedReadOnlyViewSet):
    """人员账号（仅限本单位及下级单位）。"""

    queryset = User.objects.all()
    serializer_class = UserSerializer
    filterset_class = UserApiFilter
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("role_assignments").distinct()


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """当前登录用户。"""
    return Response(MeSerializer(request.user).data)


@extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
@api_view(["POST"])
@permission_classes([permissions.AllowAny])
def obtain_token(request):
    """用用户名和密码申请一个新的 API 令牌（Authorization: Token …），有效期见 expires_at；
    修改密码或账号停用后作废。令牌只在此显示一次。"""
    ser = TokenRequestSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    user = authenticate(request._request, username=ser.validated_data["username"],
                        password=ser.validated_data["password"])
    if user is None:
        if getattr(request._request, "yifa_spray_blocked", False):
            return Response({"code": "locked_out", "message": login_guard.block_message(), "fields": {}},
                            status=status.HTTP_429_TOO_MANY_REQUESTS)
        return Response(error_body(400, "用户名或密码错误。"), status=status.HTTP_400_BAD_REQUEST)
    login_guard.note_success(client_ip(request._request), user.get_username())
    token, key = services.issue_token(actor=user, user=user, name=ser.validated_data.get("name", ""))
    return Response({"token": key, "id": token.pk, "expires_at": token.expires_at})


@extend_schema(responses=ApiTokenSerializer(many=True))
@api_view(["GET"])
def my_tokens(request):
    """本人的 API 令牌（含已过期、已撤销的），新的在前。"""
    return Response(ApiTokenSerializer(selectors.tokens_of(request.user), many=True).data)


class TokenRevokeView(APIView):
    """撤销本人的一个 API 令牌。"""

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        token = selectors.tokens_of(request.user).filter(pk=pk).first()
        if token is None:
            raise NotFound("没有找到该令牌。")
        services.revoke_token(actor=request.user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)
