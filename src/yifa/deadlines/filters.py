import django_filters

from yifa.core import clock
from yifa.orgs.models import Organization

from .models import DeadlineRule, DeadlineState, TrackedDeadline

STATUS_CHOICES = [("normal", "正常"), ("yellow", "临期"), ("red", "超期")]


def _visible_orgs(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.visible_to(request.user).order_by("path")


class TrackedDeadlineFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="期限状态", choices=STATUS_CHOICES, method="filter_status")
    state = django_filters.ChoiceFilter(label="办理状态", choices=DeadlineState.choices)
    rule = django_filters.ModelChoiceFilter(label="规则", queryset=DeadlineRule.objects.order_by("code"),
                                            to_field_name="code")
    org = django_filters.ModelChoiceFilter(label="单位", queryset=_visible_orgs, method="filter_org")
    q = django_filters.CharFilter(label="事项", field_name="title", lookup_expr="icontains")

    class Meta:
        model = TrackedDeadline
        fields = ["status", "state", "rule", "org"]

    def filter_status(self, qs, name, value):
        return qs.with_status(value, clock.today())

    def filter_org(self, qs, name, value):
        return qs.filter(org__path__startswith=value.path) if value else qs
