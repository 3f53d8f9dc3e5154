from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/op/<slug:op>/", views.meeting_op, name="meeting_op"),
    path("items/", views.ItemListView.as_view(), name="item_list"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/op/<slug:op>/", views.item_op, name="item_op"),
    path("rules/", views.RuleListView.as_view(), name="rule_list"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/", views.RuleDetailView.as_view(), name="rule_detail"),
    path("rules/<int:pk>/download/<slug:what>/", views.rule_download, name="rule_download"),
]
