"""Empty choices in words: filters say 全部, forms say 请选择 — never ``---------`` or 未知."""

import django_filters
import pytest
from django import forms

from yifa.deadlines.models import DeadlineRule
from yifa.enforcement.models import Case

pytestmark = pytest.mark.django_db


class CaseFilter(django_filters.FilterSet):
    overdue = django_filters.BooleanFilter(label="超期", method="noop")
    rule = django_filters.ModelChoiceFilter(queryset=DeadlineRule.objects.all())
    kind = django_filters.ChoiceFilter(choices=[("a", "甲")])

    class Meta:
        model = Case
        fields = ["publicity_state"]

    def noop(self, qs, name, value):
        return qs


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["publicity_state", "handler"]


def test_filters_say_all_and_yes_no_filters_do_not_say_unknown():
    html = str(CaseFilter().form)
    assert "---------" not in html and "未知" not in html
    assert html.count(">全部</option>") == 4
    # 全部 still means "no restriction"
    f = CaseFilter({"overdue": "unknown"}, queryset=Case.objects.all())
    assert f.is_valid() and f.form.cleaned_data["overdue"] is None


def test_forms_ask_to_choose():
    html = str(CaseForm())
    assert "---------" not in html and "请选择" in html
