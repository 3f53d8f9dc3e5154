from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("complaints", api.ComplaintViewSet, basename="complaints-complaint")

urlpatterns = [
    path("statistics/", api.statistics, name="complaints-statistics"),
    path("", include(router.urls)),
]
