from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="detail"),
    path("<int:pk>/void/", views.void, name="void"),
    path("<int:pk>/<str:fmt>/", views.download, name="download"),
]
