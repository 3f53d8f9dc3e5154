from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("figures/<str:code>/", views.drilldown, name="drilldown"),
    path("annual-report/", views.annual_report, name="annual_report"),
]
