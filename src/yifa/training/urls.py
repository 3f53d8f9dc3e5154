from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.home, name="home"),
    path("sessions/", views.TrainingListView.as_view(), name="training_list"),
    path("sessions/new/", views.training_create, name="training_create"),
    path("sessions/<int:pk>/", views.TrainingDetailView.as_view(), name="training_detail"),
    path("sessions/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("sessions/import-template.xlsx", views.import_template, name="import_template"),
    path("sessions/<int:pk>/import-errors/", views.import_errors, name="import_errors"),
    path("officers/", views.OfficerListView.as_view(), name="officer_list"),
    path("officers/export.xlsx", views.officer_export, name="officer_export"),
    path("officers/<int:pk>/", views.OfficerDetailView.as_view(), name="officer_detail"),
    path("certificates/", views.CertificateListView.as_view(), name="certificates"),
    path("statistics/", views.statistics, name="statistics"),
    path("requirements/", views.requirements, name="requirements"),
]
