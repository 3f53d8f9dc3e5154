from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.home, name="home"),
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("inspections/<int:pk>/findings/new/", views.inspection_add_finding, name="inspection_add_finding"),
    path("findings/", views.FindingListView.as_view(), name="finding_list"),
    path("findings/new/", views.finding_create, name="finding_create"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("findings/<int:pk>/op/<slug:op>/", views.finding_op, name="finding_op"),
    path("rules/", views.rule_list, name="rule_list"),
    path("clues/", views.ClueListView.as_view(), name="clue_list"),
    path("clues/<int:pk>/", views.ClueDetailView.as_view(), name="clue_detail"),
    path("clues/<int:pk>/op/<slug:op>/", views.clue_op, name="clue_op"),
    path("letters/", views.LetterListView.as_view(), name="letter_list"),
    path("letters/new/", views.letter_create, name="letter_create"),
    path("letters/<int:pk>/", views.LetterDetailView.as_view(), name="letter_detail"),
    path("letters/<int:pk>/op/<slug:op>/", views.letter_op, name="letter_op"),
    path("letters/<int:pk>/download/<str:fmt>/", views.letter_download, name="letter_download"),
    path("three-systems/", views.three_systems, name="three_systems"),
    path("three-systems/<slug:check>/", views.three_systems_failing, name="three_systems_failing"),
    path("decisions/", views.DecisionListView.as_view(), name="decision_list"),
    path("decisions/<int:pk>/", views.DecisionDetailView.as_view(), name="decision_detail"),
    path("decisions/<int:pk>/op/<slug:op>/", views.decision_op, name="decision_op"),
    path("decisions/<int:pk>/download/<str:fmt>/", views.decision_download, name="decision_download"),
    path("notices/", views.NoticeListView.as_view(), name="notice_list"),
    path("notices/new/", views.notice_create, name="notice_create"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice_detail"),
    path("notices/<int:pk>/op/<slug:op>/", views.notice_op, name="notice_op"),
    path("notices/<int:pk>/download/<str:fmt>/", views.notice_download, name="notice_download"),
    path("typical/", views.typical_cases, name="typical"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export.xlsx", views.statistics_export, name="statistics_export"),
]
