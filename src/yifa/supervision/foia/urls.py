from django.urls import path

from . import views

app_name = "foia"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    *[path(f"<int:pk>/{action.replace('_', '-')}/", view.as_view(), name=action)
      for action, view in views.STEP_VIEWS.items()],
]
