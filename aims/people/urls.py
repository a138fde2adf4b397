"""AIMS roles and competence."""
from django.urls import path

from aims.people import views

app_name = "people"
R = "roles/<uuid:aims_role_id>/"
A = R + "assignments/<uuid:role_assignment_id>/"
C = R + "competence/<uuid:competence_requirement_id>/"
T = "training/<uuid:training_record_id>/"
urlpatterns = [
    path("", views.people, name="people"),
    path("roles/", views.roles, name="roles"),
    path("roles/new/", views.roles_create, name="roles_create"),
    path("roles/add-standard/", views.roles_add_standard, name="roles_add_standard"),
    path(R, views.roles_detail, name="roles_detail"),
    path(R + "edit/", views.roles_edit, name="roles_edit"),
    path(R + "delete/", views.roles_delete, name="roles_delete"),
    path(R + "assign/", views.assignment_add, name="assignment_add"),
    path(A + "edit/", views.assignment_edit, name="assignment_edit"),
    path(A + "end/", views.assignment_end, name="assignment_end"),
    path(A + "delete/", views.assignment_delete, name="assignment_delete"),
    path(R + "competence/new/", views.competence_add, name="competence_add"),
    path(C + "edit/", views.competence_edit, name="competence_edit"),
    path(C + "delete/", views.competence_delete, name="competence_delete"),
    path("concern-channel/edit/", views.concern_channel_edit, name="concern_channel_edit"),
    path("training/", views.training, name="training"),
    path("training/new/", views.training_create, name="training_create"),
    path(T, views.training_detail, name="training_detail"),
    path(T + "edit/", views.training_edit, name="training_edit"),
    path(T + "delete/", views.training_delete, name="training_delete"),
    path("gaps/", views.gaps, name="gaps"),
]
