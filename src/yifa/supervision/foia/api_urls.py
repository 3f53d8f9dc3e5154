from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("requests", api.InfoRequestViewSet, basename="foia-request")

urlpatterns = [
    path("", include(router.urls)),
]
