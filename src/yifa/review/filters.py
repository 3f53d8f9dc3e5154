import django_filters
from django.db.models import Q

from yifa.orgs.models import Organization

from .models import AdvisorStatus, AdvisorType, ItemState, ItemType, LegalAdvisor, ReviewItem, Tier


def _visible_orgs(request):
    if request is None:
        return Organization.objects.none()
    from .models import county_root

    return Organization.objects.filter(path__startswith=county_root(request.user).path).order_by("path")


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称/编号", method="filter_q")
    state = django_filters.ChoiceFilter(label="状态", choices=ItemState.choices)
    item_type = django_filters.ChoiceFilter(label="类型", choices=ItemType.choices)
    year = django_filters.NumberFilter(label="年度", method="filter_year")
    org = django_filters.ModelChoiceFilter(label="报送单位", queryset=_visible_orgs, method="filter_org")
    mine = django_filters.BooleanFilter(label="待我审查", method="filter_mine")

    def filter_year(self, qs, name, value):
        if value is None:
            return qs
        try:
            year = int(value)
        except (TypeError, ValueError, OverflowError):
            return qs.none()
        return qs.filter(submitted_on__year=year) if 1900 <= year <= 2200 else qs.none()

    class Meta:
        model = ReviewItem
        fields = ["q", "state", "item_type", "year", "org"]

    def filter_q(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(number__icontains=value)) if value else qs

    def filter_org(self, qs, name, value):
        return qs.filter(org__path__startswith=value.path) if value else qs

    def filter_mine(self, qs, name, value):
        if not value or self.request is None:
            return qs
        return qs.filter(assignments__reviewer=self.request.user, assignments__active=True,
                         assignments__completed_on__isnull=True, state__in=[t.value for t in Tier])


class AdvisorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名/单位", method="filter_q")
    advisor_type = django_filters.ChoiceFilter(label="类型", choices=AdvisorType.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=AdvisorStatus.choices)
    county_team = django_filters.BooleanFilter(label="县顾问团")
    org = django_filters.ModelChoiceFilter(label="服务单位", queryset=_visible_orgs, method="filter_org")

    class Meta:
        model = LegalAdvisor
        fields = ["q", "advisor_type", "status", "county_team", "org"]

    def filter_q(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(firm__icontains=value) | Q(specialties__icontains=value)) \
            if value else qs

    def filter_org(self, qs, name, value):
        return qs.filter(org__path__startswith=value.path) if value else qs
