from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("complaints", api.ComplaintViewSet, basename="complaints-complaint")

urlpatterns = [
    path("statistics/", api.statistics, name="complaints-statistics"),
    path("public/submit/", api.public_submit, name="complaints-public-submit"),
    path("public/query/", api.public_query, name="complaints-public-query"),
    path("", include(router.urls)),
]
