import django_filters
from django.db.models import Q

from .models import Campaign, CampaignState, EvaluationFile, FileState, Grade


class CampaignFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称", method="filter_q")
    state = django_filters.ChoiceFilter(label="状态", choices=CampaignState.choices)

    class Meta:
        model = Campaign
        fields = ["q", "state"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter_q(self, qs, name, value):
        return qs.filter(title__icontains=value) if value else qs


class FileFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="案号/案由", method="filter_q")
    campaign = django_filters.NumberFilter(label="评查活动编号", field_name="campaign_id", min_value=1,
                                           max_value=2**31 - 1)
    org = django_filters.NumberFilter(label="被评查单位编号", field_name="org_id", min_value=1, max_value=2**31 - 1)
    state = django_filters.ChoiceFilter(label="状态", choices=FileState.choices)
    grade = django_filters.ChoiceFilter(label="等次", choices=Grade.choices)
    year = django_filters.NumberFilter(label="评定年度", field_name="submitted_on__year", min_value=2000,
                                       max_value=2100)

    class Meta:
        model = EvaluationFile
        fields = ["q", "campaign", "org", "state", "grade", "year"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter_q(self, qs, name, value):
        return qs.filter(Q(case__case_no__icontains=value) | Q(case__title__icontains=value)) if value else qs
