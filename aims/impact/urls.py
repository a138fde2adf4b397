from django.urls import path

from aims.impact import views

app_name = "impact"
ONE = "<uuid:assessment_id>/"
IMPACT = ONE + "impacts/<uuid:impact_id>/"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_create, name="create"),
    path("settings/", views.impact_settings, name="settings"),
    path("systems/<uuid:system_id>/", views.system_history, name="system"),
    path(ONE, views.assessment_detail, name="detail"),
    path(ONE + "edit/", views.assessment_edit, name="edit"),
    path(ONE + "delete/", views.assessment_delete, name="delete"),
    path(ONE + "submit/", views.assessment_submit, name="submit"),
    path(ONE + "approve/", views.assessment_approve, name="approve"),
    path(ONE + "return/", views.assessment_return, name="return"),
    path(ONE + "print/", views.assessment_print, name="print"),
    path(ONE + "pdf/", views.assessment_pdf_file, name="pdf"),
    path(ONE + "fria.pdf", views.fria_pdf_file, name="fria_pdf"),
    path(ONE + "impacts/new/", views.impact_create, name="impact_create"),
    path(IMPACT + "row/", views.impact_row, name="impact_row"),
    path(IMPACT + "edit/", views.impact_edit, name="impact_edit"),
    path(IMPACT + "delete/", views.impact_delete, name="impact_delete"),
    path(IMPACT + "raise-risk/", views.impact_raise_risk, name="raise_risk"),
]
