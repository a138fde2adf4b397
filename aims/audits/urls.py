"""Internal audits: programme, audits, checklists, findings, reports."""
from django.urls import path

from aims.audits import views

app_name = "audits"
PROGRAMME = "programmes/<uuid:programme_id>/"
AUDIT = "<uuid:audit_id>/"
LINE = AUDIT + "lines/<uuid:line_id>/"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path(PROGRAMME, views.programme_detail, name="programme"),
    path(PROGRAMME + "edit/", views.programme_edit, name="programme_edit"),
    path(PROGRAMME + "delete/", views.programme_delete, name="programme_delete"),
    path("findings/", views.finding_list, name="findings"),
    path("new/", views.audit_create, name="create"),
    path(AUDIT, views.audit_detail, name="detail"),
    path(AUDIT + "edit/", views.audit_edit, name="edit"),
    path(AUDIT + "delete/", views.audit_delete, name="delete"),
    path(AUDIT + "start/", views.audit_transition, {"to": "in_progress"}, name="start"),
    path(AUDIT + "close/", views.audit_transition, {"to": "closed"}, name="close"),
    path(AUDIT + "cancel/", views.audit_transition, {"to": "cancelled"}, name="cancel"),
    path(AUDIT + "checklist/regenerate/", views.checklist_regenerate, name="regenerate"),
    path(AUDIT + "report/", views.report_issue, name="report"),
    path(AUDIT + "report/print/", views.report_print, name="print"),
    path(AUDIT + "report/pdf/", views.report_pdf, name="pdf"),
    path(LINE, views.line_row, name="line"),
    path(LINE + "edit/", views.line_edit, name="line_edit"),
]
