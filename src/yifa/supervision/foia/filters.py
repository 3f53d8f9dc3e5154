import django_filters
from django.db.models import Q

from yifa.core import clock
from yifa.orgs.models import Organization

from .models import InfoRequest, ReplyType, RequestChannel, RequestState
from .selectors import overdue_q, units_in_scope


class InfoRequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="申请人/申请内容", method="filter_q")
    state = django_filters.ChoiceFilter(label="状态", choices=RequestState.choices, empty_label="全部")
    org = django_filters.ModelChoiceFilter(label="受理机关", queryset=None, method="filter_org", empty_label="全部")
    channel = django_filters.ChoiceFilter(label="申请方式", choices=RequestChannel.choices, empty_label="全部")
    reply_type = django_filters.ChoiceFilter(label="答复类型", choices=ReplyType.choices, empty_label="全部")
    overdue = django_filters.BooleanFilter(label="超期未答复", method="filter_overdue")
    received_after = django_filters.DateFilter(label="收到起", field_name="received_on", lookup_expr="gte")
    received_before = django_filters.DateFilter(label="收到止", field_name="received_on", lookup_expr="lte")

    class Meta:
        model = InfoRequest
        fields = ["q", "state", "org", "channel", "reply_type", "overdue", "received_after", "received_before"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(request, "user", None)
        self.filters["org"].queryset = (units_in_scope(user) if user is not None and user.is_authenticated
                                        else Organization.objects.none())

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(Q(requester_name__icontains=value) | Q(content__icontains=value))

    def filter_org(self, qs, name, value):
        return qs.filter(org__path__startswith=value.path) if value else qs

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        cond = overdue_q(clock.today())
        return qs.filter(cond) if value else qs.exclude(cond)
