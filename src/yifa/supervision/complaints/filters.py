import django_filters
from django.db.models import Q

from .models import Complaint, ComplaintCategory, ComplaintSource, ComplaintState


class ComplaintFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="查询码/工单号/内容", method="filter_q")
    state = django_filters.ChoiceFilter(label="状态", choices=ComplaintState.choices)
    source = django_filters.ChoiceFilter(label="来源", choices=ComplaintSource.choices)
    category = django_filters.ChoiceFilter(label="类别", choices=ComplaintCategory.choices)
    received_after = django_filters.DateFilter(label="接收起", field_name="received_on", lookup_expr="gte")
    received_before = django_filters.DateFilter(label="接收止", field_name="received_on", lookup_expr="lte")

    class Meta:
        model = Complaint
        fields = ["q", "state", "source", "category", "received_after", "received_before"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(Q(query_code__iexact=value) | Q(hotline_ticket__iexact=value) | Q(content__icontains=value))
