from django.urls import path

from . import api

urlpatterns = [
    path("dashboard/", api.dashboard, name="reports-dashboard"),
]
