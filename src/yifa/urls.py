from django.contrib import admin
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from yifa.core import import_reports
from yifa.core import views as core_views
from yifa.core.api import SchemaDocsView, SchemaView
from yifa.orgs import api as orgs_api
from yifa.orgs import views as orgs_views

admin.site.site_header = "yifa 依法行政综合管理平台 · 系统管理"
admin.site.site_title = "yifa 系统管理"
admin.site.index_title = "系统管理"

router = DefaultRouter()
router.register("orgs/units", orgs_api.OrganizationViewSet, basename="unit")
router.register("orgs/users", orgs_api.UserViewSet, basename="user")

api_v1 = [
    path("me/", orgs_api.me, name="api-me"),
    path("auth/token/", orgs_api.obtain_token, name="api-token"),
    path("auth/tokens/", orgs_api.my_tokens, name="api-tokens"),
    path("auth/tokens/<int:pk>/", orgs_api.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("deadlines/", include("yifa.deadlines.api_urls")),
    path("documents/", include("yifa.documents.api_urls")),
    path("review/", include("yifa.review.api_urls")),
    path("enforcement/", include("yifa.enforcement.api_urls")),
    path("supervision/evaluation/", include("yifa.supervision.evaluation.api_urls")),
    path("supervision/complaints/", include("yifa.supervision.complaints.api_urls")),
    path("supervision/foia/", include("yifa.supervision.foia.api_urls")),
    path("supervision/meetings/", include("yifa.supervision.meetings.api_urls")),
    path("supervision/", include("yifa.supervision.api_urls")),
    path("accountability/", include("yifa.accountability.api_urls")),
    path("training/", include("yifa.training.api_urls")),
    path("assessment/", include("yifa.assessment.api_urls")),
    path("reports/", include("yifa.reports.api_urls")),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", orgs_views.LoginView.as_view(), name="login"),
    path("logout/", orgs_views.auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", core_views.notification_list, name="notifications"),
    path("imports/errors/<str:token>/", import_reports.report_download, name="import_errors"),
    path("notifications/read/", core_views.notification_mark_read, name="notifications_read"),
    path("orgs/", include("yifa.orgs.urls")),
    path("account/", include("yifa.orgs.account_urls")),
    path("audit/", include("yifa.audit.urls")),
    path("deadlines/", include("yifa.deadlines.urls")),
    path("documents/", include("yifa.documents.urls")),
    path("review/", include("yifa.review.urls")),
    path("enforcement/", include("yifa.enforcement.urls")),
    path("supervision/evaluation/", include("yifa.supervision.evaluation.urls")),
    path("supervision/complaints/", include("yifa.supervision.complaints.urls")),
    path("supervision/foia/", include("yifa.supervision.foia.urls")),
    path("supervision/meetings/", include("yifa.supervision.meetings.urls")),
    path("supervision/", include("yifa.supervision.urls")),
    path("accountability/", include("yifa.accountability.urls")),
    path("training/", include("yifa.training.urls")),
    path("assessment/", include("yifa.assessment.urls")),
    path("portal/", include("yifa.portal.urls")),
    path("reports/", include("yifa.reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SchemaDocsView.as_view(url_name="api-schema"), name="api-docs"),
]

handler403 = "yifa.core.views.error_403"
handler400 = "yifa.core.views.error_400"
handler404 = "yifa.core.views.error_404"
handler500 = "yifa.core.views.error_500"
