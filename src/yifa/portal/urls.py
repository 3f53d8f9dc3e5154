from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.typical, name="typical"),
    path("advisors/", views.advisors, name="advisors"),
    path("statistics/", views.statistics, name="statistics"),
]
