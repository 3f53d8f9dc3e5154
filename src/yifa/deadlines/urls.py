from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "deadlines"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="deadlines:calculator"), name="index"),
    path("calculator/", views.calculator, name="calculator"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/overrides/new/", views.override_create, name="override_create"),
    path("holidays/", views.holiday_list, name="holiday_list"),
    path("holidays/new/", views.holiday_add, name="holiday_add"),
    path("holidays/import/", views.holiday_import, name="holiday_import"),
    path("holidays/import-template.csv", views.holiday_import_template, name="holiday_import_template"),
    path("holidays/<int:year>/complete/", views.holiday_year_complete, name="holiday_year_complete"),
    path("tracked/", views.TrackedListView.as_view(), name="tracked_list"),
    path("tracked/<int:pk>/", views.TrackedDetailView.as_view(), name="tracked_detail"),
]
