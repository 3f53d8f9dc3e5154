import django_filters
from django.db.models import Q

from yifa.core import clock
from .models import ActionItem, ActionState, AdoptedRule, JointMeeting


class _Base(django_filters.FilterSet):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)


class MeetingFilter(_Base):
    q = django_filters.CharFilter(label="名称/议题", method="filter_q")
    year = django_filters.NumberFilter(label="年度")
    quarter = django_filters.ChoiceFilter(label="季度", choices=[(i, f"第{i}季度") for i in range(1, 5)])

    class Meta:
        model = JointMeeting
        fields = ["q", "year", "quarter"]

    def filter_q(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(topics__icontains=value)) if value else qs


class ActionItemFilter(_Base):
    q = django_filters.CharFilter(label="事项", field_name="title", lookup_expr="icontains")
    state = django_filters.ChoiceFilter(label="状态", choices=ActionState.choices)
    overdue = django_filters.BooleanFilter(label="逾期", method="filter_overdue")

    class Meta:
        model = ActionItem
        fields = ["q", "state", "overdue"]

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        today = clock.today()
        cond = Q(state=ActionState.OPEN, due__lt=today)
        return qs.filter(cond) if value else qs.exclude(cond)


class AdoptedRuleFilter(_Base):
    q = django_filters.CharFilter(label="名称/文号", method="filter_q")
    linked = django_filters.ChoiceFilter(label="起因", method="filter_linked",
                                         choices=[("finding", "监督问题"), ("case", "执法案件"), ("source", "其他记录")])

    class Meta:
        model = AdoptedRule
        fields = ["q", "linked"]

    def filter_q(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(doc_number__icontains=value)) if value else qs

    def filter_linked(self, qs, name, value):
        field = {"finding": "finding", "case": "case", "source": "source_type"}.get(value)
        return qs.filter(**{f"{field}__isnull": False}) if field else qs
