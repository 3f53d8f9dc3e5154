import django_filters
from django.db.models import Q

from .models import AssessmentPeriod, Interview


class InterviewFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="单位/负责人", method="filter_q")
    period = django_filters.ModelChoiceFilter(label="考核", queryset=AssessmentPeriod.objects.none(),
                                              empty_label="全部")
    start = django_filters.DateFilter(label="约谈日期自", field_name="held_on", lookup_expr="gte")
    end = django_filters.DateFilter(label="至", field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Interview
        fields = ["q", "period", "start", "end"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if request is not None:
            self.filters["period"].queryset = AssessmentPeriod.objects.visible_to(request.user).order_by("-start")
        for name in ("start", "end"):
            self.filters[name].field.widget.input_type = "date"

    def filter_q(self, qs, name, value):
        return qs.filter(Q(org__name__icontains=value) | Q(unit_head__icontains=value)) if value else qs
