from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("rules", api.DeadlineRuleViewSet, basename="deadline-rule")
router.register("tracked", api.TrackedDeadlineViewSet, basename="tracked-deadline")

urlpatterns = [
    path("compute/", api.compute, name="deadline-compute"),
    path("", include(router.urls)),
]
