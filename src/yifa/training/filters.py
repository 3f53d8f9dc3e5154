import django_filters
from django.db.models import Q

from yifa.enforcement.models import Officer

from .models import Training, TrainingKind
from .selectors import orgs_for

OFFICER_STATUS = [("below", "未达标"), ("met", "已达标"), ("expiring_90", "证件90天内到期"),
                  ("expiring_30", "证件30天内到期"), ("invalid", "证件无效")]


class TrainingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称", method="filter_q")
    kind = django_filters.ChoiceFilter(label="类型", choices=TrainingKind.choices)
    year = django_filters.NumberFilter(label="年度", field_name="held_on__year")

    class Meta:
        model = Training
        fields = ["q", "kind", "year"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter_q(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(trainer__icontains=value)) if value else qs


class OfficerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名/证号", method="filter_q")
    org = django_filters.ModelChoiceFilter(label="单位（含下级）", queryset=None, method="filter_org")
    status = django_filters.ChoiceFilter(label="状态", choices=OFFICER_STATUS, method="filter_status")
    year = django_filters.NumberFilter(label="年度", method="filter_noop")

    class Meta:
        model = Officer
        fields = ["q", "org", "status", "year"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["org"].queryset = orgs_for(request.user) if request else None

    def filter_q(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(certificate_no__icontains=value)) if value else qs

    def filter_org(self, qs, name, value):
        return qs.filter(org__path__startswith=value.path) if value else qs

    def filter_status(self, qs, name, value):
        from .selectors import filter_officers

        return filter_officers(qs, value) if value else qs

    def filter_noop(self, qs, name, value):
        return qs  # the year is applied by the view's annotation
