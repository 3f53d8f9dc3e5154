import django_filters
from django.db.models import Q

from .models import DocumentStatus, IssuedDocument
from .types import DOC_TYPE_CHOICES


class IssuedDocumentFilter(django_filters.FilterSet):
    doc_type = django_filters.ChoiceFilter(label="文种", choices=DOC_TYPE_CHOICES)
    year = django_filters.NumberFilter(label="年度", min_value=1949, max_value=2199)
    status = django_filters.ChoiceFilter(label="状态", choices=DocumentStatus.choices)
    q = django_filters.CharFilter(label="文号或标题", method="filter_q")

    class Meta:
        model = IssuedDocument
        fields = ["doc_type", "year", "status"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(doc_number__icontains=value) | Q(title__icontains=value)) if value else qs
