from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("litigations", api.LitigationViewSet, basename="accountability-litigation")
router.register("reconsiderations", api.ReconsiderationViewSet, basename="accountability-reconsideration")
router.register("wrong-cases", api.WrongCaseViewSet, basename="accountability-wrong-case")
router.register("recommendations", api.RecommendationViewSet, basename="accountability-recommendation")
router.register("persons", api.PersonViewSet, basename="accountability-person")
router.register("decisions", api.DecisionViewSet, basename="accountability-decision")
router.register("notices", api.NoticeViewSet, basename="accountability-notice")
router.register("sessions", api.SessionViewSet, basename="accountability-session")

urlpatterns = [
    path("catalogue/", api.catalogue, name="accountability-catalogue"),
    path("stats/", api.stats, name="accountability-stats"),
    path("", include(router.urls)),
]
