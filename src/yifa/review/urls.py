from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.ItemListView.as_view(), name="item_list"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/resubmit/", views.item_resubmit, name="item_resubmit"),
    path("items/<int:pk>/op/<slug:op>/", views.item_op, name="item_op"),
    path("items/<int:pk>/letter/<str:fmt>/", views.letter_download, name="letter"),
    path("items/<int:pk>/drafts/<int:round_no>/", views.draft_download, name="draft"),
    path("statistics/", views.statistics, name="statistics"),
    path("precheck-examples/", views.precheck_examples, name="precheck_examples"),
    path("advisors/", views.AdvisorListView.as_view(), name="advisor_list"),
    path("advisors/coverage/", views.advisor_coverage, name="advisor_coverage"),
    path("advisors/new/", views.advisor_create, name="advisor_create"),
    path("advisors/import/", views.advisor_import, name="advisor_import"),
    path("advisors/import-template.xlsx", views.advisor_import_template, name="advisor_import_template"),
    path("advisors/<int:pk>/", views.AdvisorDetailView.as_view(), name="advisor_detail"),
    path("advisors/<int:pk>/edit/", views.advisor_edit, name="advisor_edit"),
    path("advisors/<int:pk>/evaluate/", views.advisor_evaluate, name="advisor_evaluate"),
    path("rota/", views.rota, name="rota"),
]
