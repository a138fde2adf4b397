"""Documented information."""
from django.urls import path

from aims.documents import views

app_name = "documents"
ONE = "<uuid:document_id>/"
VERSION = ONE + "versions/<uuid:version_id>/"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_create, name="create"),
    path("preview/", views.markdown_preview, name="preview"),
    path(ONE, views.document_detail, name="detail"),
    path(ONE + "edit/", views.document_edit, name="edit"),
    path(ONE + "delete/", views.document_delete, name="delete"),
    path(ONE + "diff/", views.version_diff, name="diff"),
    path(ONE + "versions/new/", views.version_create, name="version_create"),
    path(VERSION, views.version_detail, name="version"),
    path(VERSION + "edit/", views.version_edit, name="version_edit"),
    path(VERSION + "submit/", views.version_submit, name="submit"),
    path(VERSION + "approve/", views.version_approve, name="approve"),
    path(VERSION + "return/", views.version_return, name="return"),
    path(VERSION + "pdf/", views.version_pdf_file, name="pdf"),
    path(VERSION + "file/", views.version_file, name="file"),
]
