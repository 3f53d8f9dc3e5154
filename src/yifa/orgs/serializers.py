from rest_framework import serializers

from .models import Organization, User


class OrganizationSerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(source="pk", read_only=True, help_text="所属单位（单位自身）")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "org", "name", "short_name", "code", "kind", "kind_label", "parent", "path", "depth",
                  "head_name", "phone", "is_active", "sort_order", "version"]


class UserSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "org", "org_name", "username", "display_name", "post", "roles", "is_active", "version"]

    def get_roles(self, obj) -> list[str]:
        return sorted(obj.roles)


class MeSerializer(UserSerializer):
    role_labels = serializers.SerializerMethodField()
    scope_root = serializers.IntegerField(source="scope_root.pk", read_only=True)

    class Meta(UserSerializer.Meta):
        fields = UserSerializer.Meta.fields + ["role_labels", "scope_root"]

    def get_role_labels(self, obj) -> list[str]:
        return obj.role_labels()


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    name = serializers.CharField(required=False, allow_blank=True, max_length=60, help_text="用途（可选）")


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    id = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.Serializer):
    """One of the caller's own tokens; the key itself is never shown again."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    is_active = serializers.BooleanField()
    state_label = serializers.CharField()
