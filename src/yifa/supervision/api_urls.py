from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("inspections", api.InspectionViewSet, basename="supervision-inspection")
router.register("findings", api.FindingViewSet, basename="supervision-finding")
router.register("letters", api.LetterViewSet, basename="supervision-letter")
router.register("clues", api.ClueViewSet, basename="supervision-clue")
router.register("rule-switches", api.RuleSwitchViewSet, basename="supervision-rule-switch")
router.register("decisions", api.DecisionViewSet, basename="supervision-decision")
router.register("notices", api.NoticeViewSet, basename="supervision-notice")
router.register("urgings", api.UrgingViewSet, basename="supervision-urging")

urlpatterns = [
    path("rectification-rates/", api.rectification_rates, name="supervision-rectification-rates"),
    path("rules/", api.rule_list, name="supervision-rules"),
    path("rules/run/", api.run_rules, name="supervision-rules-run"),
    path("rules/<str:code>/", api.rule_detail, name="supervision-rule-detail"),
    path("rules/<str:code>/params/", api.rule_param, name="supervision-rule-param"),
    path("three-systems/", api.three_systems, name="supervision-three-systems"),
    path("three-systems/failing/", api.three_systems_failing, name="supervision-three-systems-failing"),
    path("letters/<int:pk>/escalate/", api.letter_escalate, name="supervision-letter-escalate"),
    path("letters/<int:pk>/escalate-to-opinion/", api.notice_escalate, name="supervision-notice-escalate"),
    path("findings/<int:pk>/mark/", api.finding_mark, name="supervision-finding-mark"),
    path("statistics/", api.statistics, name="supervision-statistics"),
    path("", include(router.urls)),
]
