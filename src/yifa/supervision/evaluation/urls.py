from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/op/<slug:op>/", views.campaign_op, name="campaign_op"),
    path("campaigns/<int:pk>/notice/<str:fmt>/", views.campaign_notice, name="campaign_notice"),
    path("campaigns/<int:pk>/export/", views.campaign_export, name="campaign_export"),
    path("files/", views.FileListView.as_view(), name="file_list"),
    path("files/<int:pk>/", views.FileDetailView.as_view(), name="file_detail"),
    path("files/<int:pk>/op/<slug:op>/", views.file_op, name="file_op"),
    path("sheets/", views.sheet_list, name="sheet_list"),
    path("sheets/new/", views.sheet_create, name="sheet_create"),
    path("sheets/<int:pk>/", views.SheetDetailView.as_view(), name="sheet_detail"),
    path("sheets/<int:pk>/op/<slug:op>/", views.sheet_op, name="sheet_op"),
]
