from django.urls import path

from aims.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.evidence_list, name="list"),
    path("new/", views.evidence_create, name="create"),
    path("verify/", views.files_verify, name="verify"),
    path("records/", views.record_options, name="record_options"),
    path("<uuid:evidence_id>/", views.evidence_detail, name="detail"),
    path("<uuid:evidence_id>/edit/", views.evidence_edit, name="edit"),
    path("<uuid:evidence_id>/delete/", views.evidence_delete, name="delete"),
    path("<uuid:evidence_id>/download/", views.evidence_download, name="download"),
    path("<uuid:evidence_id>/links/add/", views.link_add, name="link_add"),
    path("<uuid:evidence_id>/links/remove/", views.link_remove, name="link_remove"),
]
