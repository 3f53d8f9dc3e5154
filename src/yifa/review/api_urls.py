from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("advisors", api.AdvisorViewSet, basename="review-advisor")
router.register("items", api.ReviewItemViewSet, basename="review-item")
router.register("precheck-examples", api.PrecheckExampleViewSet, basename="review-precheck-example")

urlpatterns = [
    path("statistics/", api.statistics, name="review-statistics"),
    path("", include(router.urls)),
]
