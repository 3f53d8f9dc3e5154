from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("meetings", api.MeetingViewSet, basename="meetings-meeting")
router.register("action-items", api.ActionItemViewSet, basename="meetings-action-item")
router.register("adopted-rules", api.AdoptedRuleViewSet, basename="meetings-adopted-rule")

urlpatterns = [path("", include(router.urls))]
