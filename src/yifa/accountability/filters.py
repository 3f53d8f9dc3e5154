import django_filters
from django import forms
from django.db.models import Q

from yifa.orgs.models import Organization

from .models import Litigation, Outcome, Reconsideration, Trigger, WrongCase, WrongCaseState


class _Base(django_filters.FilterSet):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)


class ChallengeFilter(_Base):
    q = django_filters.CharFilter(label="案号/当事人", method="filter_q")
    outcome = django_filters.ChoiceFilter(label="结果", choices=Outcome.choices)

    def filter_q(self, qs, name, value):
        return qs.filter(Q(case_number__icontains=value) | Q(claimant__icontains=value)) if value else qs


class LitigationFilter(ChallengeFilter):
    class Meta:
        model = Litigation
        fields = ["q", "outcome", "appeal_state"]


class ReconsiderationFilter(ChallengeFilter):
    class Meta:
        model = Reconsideration
        fields = ["q", "outcome"]


class WrongCaseFilter(_Base):
    q = django_filters.CharFilter(label="名称", method="filter_q")
    trigger = django_filters.ChoiceFilter(label="来源", choices=Trigger.choices)
    state = django_filters.ChoiceFilter(label="状态", choices=WrongCaseState.choices)
    unit = django_filters.NumberFilter(label="单位", method="filter_unit", widget=forms.HiddenInput)
    start = django_filters.DateFilter(label="认定起", field_name="opened_on", lookup_expr="gte",
                                      widget=forms.HiddenInput)
    end = django_filters.DateFilter(label="认定止", field_name="opened_on", lookup_expr="lte",
                                    widget=forms.HiddenInput)

    class Meta:
        model = WrongCase
        fields = ["q", "trigger", "state", "unit", "start", "end"]

    def filter_q(self, qs, name, value):
        return qs.filter(title__icontains=value) if value else qs

    def filter_unit(self, qs, name, value):
        org = Organization.objects.filter(pk=value).first()
        return qs.filter(org__path__startswith=org.path) if org else qs.none()
