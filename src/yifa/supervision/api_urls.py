from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("inspections", api.InspectionViewSet, basename="supervision-inspection")
router.register("findings", api.FindingViewSet, basename="supervision-finding")
router.register("letters", api.LetterViewSet, basename="supervision-letter")
router.register("clues", api.ClueViewSet, basename="supervision-clue")
router.register("rule-switches", api.RuleSwitchViewSet, basename="supervision-rule-switch")

urlpatterns = [
    path("rectification-rates/", api.rectification_rates, name="supervision-rectification-rates"),
    path("rules/", api.rule_list, name="supervision-rules"),
    path("rules/run/", api.run_rules, name="supervision-rules-run"),
    path("three-systems/", api.three_systems, name="supervision-three-systems"),
    path("three-systems/failing/", api.three_systems_failing, name="supervision-three-systems-failing"),
    path("", include(router.urls)),
]
