from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("sessions", api.TrainingViewSet, basename="training-session")
router.register("attendances", api.AttendanceViewSet, basename="training-attendance")
router.register("officers", api.OfficerHoursViewSet, basename="training-officer")
router.register("requirements", api.RequirementViewSet, basename="training-requirement")

urlpatterns = [
    path("statistics/", api.statistics, name="training-statistics"),
    path("metrics/", api.metrics, name="training-metrics"),
    path("", include(router.urls)),
]
