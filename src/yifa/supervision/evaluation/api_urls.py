from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("sheets", api.SheetViewSet, basename="evaluation-sheet")
router.register("sheet-items", api.SheetItemViewSet, basename="evaluation-sheet-item")
router.register("campaigns", api.CampaignViewSet, basename="evaluation-campaign")
router.register("files", api.FileViewSet, basename="evaluation-file")

urlpatterns = [
    path("metrics/", api.metrics, name="evaluation-metrics"),
    path("", include(router.urls)),
]
