from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.home, name="home"),
    path("periods/new/", views.period_create, name="period_create"),
    path("periods/<int:pk>/", views.PeriodDetailView.as_view(), name="period_detail"),
    path("periods/<int:pk>/op/<slug:op>/", views.period_op, name="period_op"),
    path("periods/<int:pk>/indicators/", views.period_tree, name="period_tree"),
    path("periods/<int:pk>/export.xlsx", views.period_export, name="period_export"),
    path("periods/<int:pk>/scores/", views.manual_score, name="manual_score"),
    path("periods/<int:pk>/interviews/new/", views.interview_create, name="interview_create"),
    path("manual-scores/<int:pk>/attachment/", views.manual_attachment, name="manual_attachment"),
    path("results/<int:pk>/", views.ResultDetailView.as_view(), name="result_detail"),
    path("interviews/", views.interview_list, name="interview_list"),
    path("interviews/<int:pk>/", views.InterviewDetailView.as_view(), name="interview_detail"),
    path("metrics/records/", views.metric_records, name="metric_records"),
    path("commendation/", views.commendation, name="commendation"),
]
