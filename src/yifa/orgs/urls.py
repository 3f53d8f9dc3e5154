from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("units/", views.OrganizationListView.as_view(), name="org_list"),
    path("units/new/", views.org_create, name="org_create"),
    path("units/<int:pk>/", views.OrganizationDetailView.as_view(), name="org_detail"),
    path("units/<int:pk>/edit/", views.org_edit, name="org_edit"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
]
