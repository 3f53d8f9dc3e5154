from django.urls import path

from . import views

app_name = "enforcement"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/documents/<int:doc_pk>/<str:fmt>/", views.document_download, name="document_download"),
    path("records/<int:pk>/", views.record_download, name="record_download"),
    path("records/<int:pk>/verify/", views.record_verify, name="record_verify"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("monitoring/cases/", views.monitoring_cases, name="monitoring_cases"),
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/new/", views.body_form, name="body_create"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", views.body_form, name="body_edit"),
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/new/", views.officer_form, name="officer_create"),
    path("officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("officers/<int:pk>/edit/", views.officer_form, name="officer_edit"),
    path("items/", views.item_list, name="item_list"),
    path("disclosures/", views.PriorDisclosureListView.as_view(), name="disclosure_list"),
    path("disclosures/new/", views.PriorDisclosureCreate.as_view(), name="disclosure_create"),
    path("disclosures/changes/", views.DisclosureChangeListView.as_view(), name="disclosure_change_list"),
    path("disclosures/changes/new/", views.DisclosureChangeCreate.as_view(), name="disclosure_change_create"),
    path("items/new/", views.item_form, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_form, name="item_edit"),
    path("export/<str:kind>.xlsx", views.export, name="export"),
    path("import/", views.import_view, name="import"),
    path("import/<int:pk>/", views.import_status, name="import_status"),
    path("import/template/<slug:kind>/", views.import_template, name="import_template"),
    path("import/<int:pk>/errors/", views.import_errors, name="import_errors"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
]
