import django_filters
from django.db.models import Q

from .models import Clue, ClueState, Finding, FindingCategory, FindingSource, FindingState, Inspection, InspectionKind


class InspectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称", method="filter_q")
    kind = django_filters.ChoiceFilter(label="类型", choices=InspectionKind.choices)

    class Meta:
        model = Inspection
        fields = ["q", "kind"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter_q(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(joint_bodies__icontains=value)) if value else qs


class FindingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="描述", method="filter_q")
    state = django_filters.ChoiceFilter(label="状态", choices=FindingState.choices)
    category = django_filters.ChoiceFilter(label="类别", choices=FindingCategory.choices)
    source = django_filters.ChoiceFilter(label="来源", choices=FindingSource.choices)

    class Meta:
        model = Finding
        fields = ["q", "state", "category", "source"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter_q(self, qs, name, value):
        return qs.filter(description__icontains=value) if value else qs


def _rule_choices():
    from .rules import RULES

    return [(c, r.name) for c, r in RULES.items()]


class ClueFilter(django_filters.FilterSet):
    rule_code = django_filters.ChoiceFilter(label="规则", choices=_rule_choices)
    state = django_filters.ChoiceFilter(label="状态", choices=ClueState.choices)

    class Meta:
        model = Clue
        fields = ["rule_code", "state"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
