"""The empty choice of every select, said in words once for the whole product (*Words*).

- A filter's empty choice means "no restriction": 全部 (django-filter's
  ``FILTERS_EMPTY_CHOICE_LABEL`` in settings; a yes/no filter's empty choice, which
  Django calls 未知, through `AllNullBooleanField` below).
- A form's empty choice asks for a choice: 请选择 (Django's ``---------`` for model
  choice fields and fields with choices).

`apply()` runs once from CoreConfig.ready(), so every app's filters and forms get it
without each declaring labels."""

from django import forms

ALL = "全部"
PLEASE_CHOOSE = "请选择"


class AllNullBooleanSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", ALL), ("true", "是"), ("false", "否")]


class AllNullBooleanField(forms.NullBooleanField):
    """A yes/no filter: 全部 / 是 / 否."""

    widget = AllNullBooleanSelect


def apply() -> None:
    import django_filters
    from django.db.models import fields as model_fields
    from django.forms import models as model_forms

    django_filters.BooleanFilter.field_class = AllNullBooleanField
    model_fields.BLANK_CHOICE_DASH[:] = [("", PLEASE_CHOOSE)]  # the list every get_choices() default shares
    defaults = model_forms.ModelChoiceField.__init__.__kwdefaults__
    if defaults.get("empty_label") == "---------":
        defaults["empty_label"] = PLEASE_CHOOSE
