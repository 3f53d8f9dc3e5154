from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("bodies", api.BodyViewSet, basename="enforcement-body")
router.register("officers", api.OfficerViewSet, basename="enforcement-officer")
router.register("items", api.ItemViewSet, basename="enforcement-item")
router.register("cases", api.CaseViewSet, basename="enforcement-case")
router.register("records", api.RecordViewSet, basename="enforcement-record")
router.register("imports", api.ImportBatchViewSet, basename="enforcement-import")

urlpatterns = [
    path("monitoring/", api.monitoring, name="enforcement-monitoring"),
    path("", include(router.urls)),
]
