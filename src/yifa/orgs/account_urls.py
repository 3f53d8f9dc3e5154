from django.urls import path

from . import views

app_name = "account"
urlpatterns = [
    path("", views.account_tokens, name="tokens"),
    path("password/", views.PasswordChangeView.as_view(), name="password"),
]
