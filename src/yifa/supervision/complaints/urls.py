from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.home, name="home"),
    path("public/", views.public_new, name="public_new"),
    path("public/done/", views.public_done, name="public_done"),
    path("public/query/", views.public_query, name="public_query"),
    path("list/", views.ComplaintListView.as_view(), name="list"),
    path("new/", views.create, name="create"),
    path("export/", views.export, name="export"),
    path("stats/", views.stats, name="stats"),
    path("<int:pk>/", views.ComplaintDetailView.as_view(), name="detail"),
    path("<int:pk>/op/<slug:op>/", views.op, name="op"),
    path("<int:pk>/download/<slug:what>/", views.attachment, name="attachment"),
]
