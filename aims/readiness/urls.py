from django.urls import path

from aims.readiness import views

app_name = "readiness"
urlpatterns = [
    path("", views.readiness, name="index"),
    path("snapshot/", views.snapshot_save, name="snapshot"),
    path("documented-information/", views.documented, name="documented"),
    path("plan/", views.plan, name="plan"),
    path("plan/xlsx/", views.plan_xlsx, name="plan_xlsx"),
    path("certification/", views.certification, name="certification"),
    path("certification/new/", views.certification_create, name="certification_create"),
    path("certification/<uuid:certification_id>/edit/", views.certification_edit,
         name="certification_edit"),
    path("certification/<uuid:certification_id>/audits/new/", views.audit_create,
         name="audit_create"),
    path("certification/audits/<uuid:external_audit_id>/edit/", views.audit_edit,
         name="audit_edit"),
    path("certification/audits/<uuid:external_audit_id>/findings/new/", views.finding_create,
         name="finding_create"),
    path("brief/", views.brief, name="brief"),
    path("brief/pdf/", views.brief_pdf_file, name="brief_pdf"),
]
