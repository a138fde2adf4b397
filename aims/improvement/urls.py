"""Incidents, nonconformities and improvement."""

from django.urls import path

from aims.improvement import views

app_name = "improvement"
urlpatterns = [
    # Nonconformities and corrective actions (10.2): the register is the app's front page.
    path("", views.nc_list, name="nc_list"),
    path("overdue/", views.nc_overdue, name="nc_overdue"),
    path("export/<str:fmt>/", views.nc_export, name="nc_export"),
    path("nonconformities/new/", views.nc_create, name="nc_create"),
    path("nonconformities/<uuid:nc_id>/", views.nc_detail, name="nc_detail"),
    path("nonconformities/<uuid:nc_id>/edit/", views.nc_edit, name="nc_edit"),
    path("nonconformities/<uuid:nc_id>/delete/", views.nc_delete, name="nc_delete"),
    path("nonconformities/<uuid:nc_id>/actions/add/", views.nc_action_add,
         name="nc_action_add"),
    path("nonconformities/<uuid:nc_id>/actions/<uuid:corrective_action_id>/complete/",
         views.nc_action_complete, name="nc_action_complete"),
    path("nonconformities/<uuid:nc_id>/verify/", views.nc_verify, name="nc_verify"),
    path("nonconformities/<uuid:nc_id>/close/", views.nc_close, name="nc_close"),
    # Incidents (A.8.3, A.8.4)
    path("incidents/", views.incident_list, name="incidents"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<uuid:incident_id>/", views.incident_detail, name="incident_detail"),
    path("incidents/<uuid:incident_id>/edit/", views.incident_edit, name="incident_edit"),
    path("incidents/<uuid:incident_id>/delete/", views.incident_delete, name="incident_delete"),
    path("incidents/<uuid:incident_id>/serious-report.pdf", views.incident_serious_report,
         name="incident_serious_report"),
    path("incidents/<uuid:incident_id>/raise-nonconformity/", views.incident_raise_nc,
         name="incident_raise_nc"),
    # Improvement opportunities (10.1)
    path("opportunities/", views.improvement_list, name="improvements"),
    path("opportunities/new/", views.improvement_create, name="improvement_create"),
    path("opportunities/<uuid:improvement_id>/", views.improvement_detail,
         name="improvement_detail"),
    path("opportunities/<uuid:improvement_id>/edit/", views.improvement_edit,
         name="improvement_edit"),
    path("opportunities/<uuid:improvement_id>/delete/", views.improvement_delete,
         name="improvement_delete"),
]
