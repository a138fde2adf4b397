"""The EU AI Act documents of one AI system."""

from django.urls import path

from aims.techfile import views

app_name = "techfile"
urlpatterns = [
    path("<uuid:system_id>/transparency-notice/", views.notice, name="notice"),
    path("<uuid:system_id>/transparency-notice/pdf/", views.notice_pdf_file, name="notice_pdf"),
    path("<uuid:system_id>/transparency-notice/links/", views.notice_link_create_view,
         name="notice_link_create"),
    path("<uuid:system_id>/transparency-notice/links/<uuid:link_id>/revoke/",
         views.notice_link_revoke_view, name="notice_link_revoke"),
    path("<uuid:system_id>/<slug:kind>/", views.draft, name="draft"),
    path("<uuid:system_id>/<slug:kind>/print/", views.draft_print, name="print"),
    path("<uuid:system_id>/<slug:kind>/pdf/", views.draft_pdf_file, name="pdf"),
]
