import django_filters

from .models import Organization, OrgKind, Role, User


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    kind = django_filters.ChoiceFilter(label="单位类型", choices=OrgKind.choices)

    class Meta:
        model = Organization
        fields = ["kind"]

    def search(self, qs, name, value):
        from django.db.models import Q

        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(short_name__icontains=value))


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    role = django_filters.ChoiceFilter(label="角色", choices=Role.choices, field_name="role_assignments__role")

    class Meta:
        model = User
        fields = ["role"]

    def search(self, qs, name, value):
        from django.db.models import Q

        return qs.filter(Q(username__icontains=value) | Q(display_name__icontains=value))
