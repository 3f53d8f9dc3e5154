from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("inspections", api.InspectionViewSet, basename="supervision-inspection")
router.register("findings", api.FindingViewSet, basename="supervision-finding")

urlpatterns = [
    path("rectification-rates/", api.rectification_rates, name="supervision-rectification-rates"),
    path("", include(router.urls)),
]
