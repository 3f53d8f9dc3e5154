from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("periods", api.PeriodViewSet, basename="assessment-period")
router.register("results", api.ResultViewSet, basename="assessment-result")
router.register("manual-scores", api.ManualScoreViewSet, basename="assessment-manual-score")
router.register("interviews", api.InterviewViewSet, basename="assessment-interview")

urlpatterns = [
    path("metrics/", api.metric_list, name="assessment-metrics"),
    path("metrics/value/", api.metric_value, name="assessment-metric-value"),
    path("commendation/", api.commendation, name="assessment-commendation"),
    path("", include(router.urls)),
]
