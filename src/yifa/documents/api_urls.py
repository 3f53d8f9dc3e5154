from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("issued", api.IssuedDocumentViewSet, basename="document-issued")

urlpatterns = [
    path("", include(router.urls)),
]
