from django.urls import path

from . import views

app_name = "accountability"
urlpatterns = [
    path("", views.home, name="home"),
    path("litigations/", views.LitigationListView.as_view(), name="litigation_list"),
    path("litigations/new/", views.litigation_create, name="litigation_create"),
    path("litigations/<int:pk>/", views.LitigationDetailView.as_view(), name="litigation_detail"),
    path("litigations/<int:pk>/op/<slug:op>/", views.litigation_op, name="litigation_op"),
    path("reconsiderations/", views.ReconsiderationListView.as_view(), name="reconsideration_list"),
    path("reconsiderations/new/", views.reconsideration_create, name="reconsideration_create"),
    path("reconsiderations/<int:pk>/", views.ReconsiderationDetailView.as_view(), name="reconsideration_detail"),
    path("reconsiderations/<int:pk>/op/<slug:op>/", views.reconsideration_op, name="reconsideration_op"),
    path("wrong-cases/", views.WrongCaseListView.as_view(), name="wrong_case_list"),
    path("wrong-cases/from-finding/", views.wrong_case_from_finding, name="wrong_case_from_finding"),
    path("wrong-cases/<int:pk>/", views.WrongCaseDetailView.as_view(), name="wrong_case_detail"),
    path("wrong-cases/<int:pk>/op/<slug:op>/", views.wrong_case_op, name="wrong_case_op"),
    path("recommendations/<int:pk>/", views.RecommendationDetailView.as_view(), name="recommendation_detail"),
    path("recommendations/<int:pk>/download/<str:fmt>/", views.recommendation_download,
         name="recommendation_download"),
    path("persons/", views.PersonListView.as_view(), name="person_list"),
    path("persons/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("persons/<int:pk>/op/<slug:op>/", views.person_op, name="person_op"),
    path("decisions/", views.DecisionListView.as_view(), name="decision_list"),
    path("notices/", views.NoticeListView.as_view(), name="notice_list"),
    path("notices/new/", views.notice_create, name="notice_create"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice_detail"),
    path("notices/<int:pk>/download/<str:fmt>/", views.notice_download, name="notice_download"),
    path("sessions/", views.SessionListView.as_view(), name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path("stats/", views.stats, name="stats"),
    path("catalogue/", views.catalogue, name="catalogue"),
]
