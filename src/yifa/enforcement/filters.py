import django_filters

from yifa.core import clock
from yifa.orgs.models import Organization

from .models import (STATE_LABELS, BodyKind, Case, CaseType, EnforcementBody, EnforcementItem, ItemCategory,
                     Officer, OfficerStatus, PublicityState)

STATUS_CHOICES = [("normal", "正常"), ("yellow", "临期"), ("red", "超期")]


def _orgs(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.visible_to(request.user).order_by("path")


class _OrgFilterMixin:
    def filter_org(self, qs, name, value):
        return qs.filter(org__path__startswith=value.path) if value else qs


class CaseFilter(_OrgFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="案号/案由/当事人", method="filter_q")
    case_type = django_filters.ChoiceFilter(label="类型", choices=CaseType.choices)
    state = django_filters.ChoiceFilter(label="环节", choices=list(STATE_LABELS.items()))
    status = django_filters.ChoiceFilter(label="期限状态", choices=STATUS_CHOICES, method="filter_status")
    org = django_filters.ModelChoiceFilter(label="单位", queryset=_orgs, method="filter_org")
    publicity_state = django_filters.ChoiceFilter(label="公示", choices=PublicityState.choices)

    class Meta:
        model = Case
        fields = ["q", "case_type", "state", "status", "org", "publicity_state"]

    def filter_q(self, qs, name, value):
        from django.db.models import Q

        return qs.filter(Q(case_no__icontains=value) | Q(title__icontains=value) | Q(party_name__icontains=value))

    def filter_status(self, qs, name, value):
        return qs.with_status(value, clock.today())


class BodyFilter(_OrgFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label="性质", choices=BodyKind.choices)
    org = django_filters.ModelChoiceFilter(label="单位", queryset=_orgs, method="filter_org")

    class Meta:
        model = EnforcementBody
        fields = ["q", "kind", "org"]


class OfficerFilter(_OrgFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名/证号", method="filter_q")
    status = django_filters.ChoiceFilter(label="状态", choices=OfficerStatus.choices)
    org = django_filters.ModelChoiceFilter(label="单位", queryset=_orgs, method="filter_org")
    expired = django_filters.BooleanFilter(label="证件已过期", method="filter_expired")

    class Meta:
        model = Officer
        fields = ["q", "status", "org", "expired"]

    def filter_q(self, qs, name, value):
        from django.db.models import Q

        return qs.filter(Q(name__icontains=value) | Q(certificate_no__icontains=value))

    def filter_expired(self, qs, name, value):
        today = clock.today()
        if value is None:
            return qs
        return qs.filter(valid_to__lt=today) if value else qs.filter(valid_to__gte=today)


class ItemFilter(_OrgFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称/编码", method="filter_q")
    category = django_filters.ChoiceFilter(label="类别", choices=ItemCategory.choices)
    org = django_filters.ModelChoiceFilter(label="单位", queryset=_orgs, method="filter_org")

    class Meta:
        model = EnforcementItem
        fields = ["q", "category", "org"]

    def filter_q(self, qs, name, value):
        from django.db.models import Q

        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value))
