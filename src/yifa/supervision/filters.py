import django_filters
from django.db.models import Q

from .models import (Clue, ClueState, Finding, FindingCategory, FindingSource, FindingState, Inspection, InspectionKind,
                     LetterState, LetterTier, OpinionLetter, SupervisionDecision)


def _org_subtree(qs, field, value):
    """Rows of unit `value` and the units under it (the list is already scoped)."""
    from yifa.orgs.models import Organization

    if value is None or value < 1 or value > 2 ** 53 or value != int(value):
        return qs.none()
    org = Organization.objects.filter(pk=int(value)).only("path").first()
    if org is None:
        return qs.none()
    return qs.filter(**{f"{field}__path__startswith": org.path})


class PeriodOrgMixin(django_filters.FilterSet):
    """`org` (unit, with its subtree), `start` and `end` (dates) — the statistics' drill-down."""

    org = django_filters.NumberFilter(label="单位", method="filter_org", widget=django_filters.widgets.forms.HiddenInput)
    start = django_filters.DateFilter(label="起", method="filter_start")
    end = django_filters.DateFilter(label="止", method="filter_end")
    date_field = "created_at"
    org_field = "org"

    def filter_org(self, qs, name, value):
        return _org_subtree(qs, self.org_field, value) if value else qs

    def filter_start(self, qs, name, value):
        return qs.filter(**{f"{self.date_field}__gte": value}) if value else qs

    def filter_end(self, qs, name, value):
        return qs.filter(**{f"{self.date_field}__lte": value}) if value else qs


class InspectionFilter(PeriodOrgMixin):
    q = django_filters.CharFilter(label="名称", method="filter_q")
    kind = django_filters.ChoiceFilter(label="类型", choices=InspectionKind.choices)

    class Meta:
        model = Inspection
        fields = ["q", "kind", "org", "start", "end"]

    date_field = "period_start"
    org_field = "org"

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter_q(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(joint_bodies__icontains=value)) if value else qs


class FindingFilter(PeriodOrgMixin):
    q = django_filters.CharFilter(label="描述", method="filter_q")
    state = django_filters.ChoiceFilter(label="状态", choices=FindingState.choices)
    category = django_filters.ChoiceFilter(label="类别", choices=FindingCategory.choices)
    source = django_filters.ChoiceFilter(label="来源", choices=FindingSource.choices)
    corrected = django_filters.BooleanFilter(label="已整改", method="filter_corrected")
    is_major = django_filters.BooleanFilter(label="重大问题")
    typical = django_filters.BooleanFilter(label="典型案例")

    def filter_corrected(self, qs, name, value):
        if value is None:
            return qs
        return qs.exclude(state=FindingState.OPEN) if value else qs.filter(state=FindingState.OPEN)

    class Meta:
        model = Finding
        fields = ["q", "state", "category", "source", "corrected", "is_major", "typical", "org", "start", "end"]

    date_field = "raised_on"

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter_q(self, qs, name, value):
        return qs.filter(description__icontains=value) if value else qs


def _rule_choices():
    from .rules import RULES

    return [(c, r.name) for c, r in RULES.items()]


class ClueFilter(PeriodOrgMixin):
    rule_code = django_filters.ChoiceFilter(label="规则", choices=_rule_choices)
    state = django_filters.ChoiceFilter(label="状态", choices=ClueState.choices)

    class Meta:
        model = Clue
        fields = ["rule_code", "state", "org", "start", "end"]

    date_field = "raised_on"

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)


class LetterFilter(PeriodOrgMixin):
    q = django_filters.CharFilter(label="标题/文号", method="filter_q")
    tier = django_filters.ChoiceFilter(label="文书种类", choices=LetterTier.choices, empty_label="全部")
    state = django_filters.ChoiceFilter(label="状态", choices=LetterState.choices)
    rectified = django_filters.BooleanFilter(label="整改到位", method="filter_rectified")
    open = django_filters.BooleanFilter(label="整改中", method="filter_open")
    date_field = "issued_on"

    class Meta:
        model = OpinionLetter
        fields = ["q", "tier", "state", "rectified", "open", "org", "start", "end"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter_q(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(doc_number__icontains=value)) if value else qs

    def filter_rectified(self, qs, name, value):
        done = (LetterState.ACCEPTED, LetterState.CLOSED)
        if value is None:
            return qs
        return qs.filter(state__in=done) if value else qs.exclude(state__in=done)

    def filter_open(self, qs, name, value):
        active = (LetterState.RECTIFYING, LetterState.SUBMITTED)
        if value is None:
            return qs
        return qs.filter(state__in=active) if value else qs.exclude(state__in=active)


class DecisionFilter(PeriodOrgMixin):
    date_field = "issued_on"

    class Meta:
        model = SupervisionDecision
        fields = ["state", "kind", "org", "start", "end"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
