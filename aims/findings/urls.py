from django.urls import path

from aims.findings import views

app_name = "findings"
urlpatterns = [
    path("", views.finding_list, name="list"),
    path("<uuid:finding_id>/", views.finding_detail, name="detail"),
    path("<uuid:finding_id>/triage/", views.finding_triage, name="triage"),
    path("<uuid:finding_id>/accept/", views.finding_accept, name="accept"),
    path("<uuid:finding_id>/approve/", views.finding_approve, name="approve"),
    path("<uuid:finding_id>/return/", views.finding_return, name="return"),
    path("<uuid:finding_id>/risk/", views.finding_raise_risk, name="raise_risk"),
    path("<uuid:finding_id>/nonconformity/", views.finding_raise_nonconformity,
         name="raise_nc"),
    path("import/<uuid:system_id>/", views.scan_import, name="import"),
]
