from django.urls import path

from aims.context import views

app_name = "context"
urlpatterns = [
    path("scope/", views.scope, name="scope"),
    path("scope/edit/", views.scope_edit, name="scope_edit"),
    path("scope/v<int:number>/", views.scope_version, name="scope_version"),
    path("issues/", views.issues, name="issues"),
    path("issues/new/", views.issue_create, name="issue_create"),
    path("issues/<uuid:issue_id>/row/", views.issue_row, name="issue_row"),
    path("issues/<uuid:issue_id>/edit/", views.issue_edit, name="issue_edit"),
    path("issues/<uuid:issue_id>/delete/", views.issue_delete, name="issue_delete"),
    path("parties/", views.parties, name="parties"),
    path("parties/new/", views.party_create, name="party_create"),
    path("parties/<uuid:party_id>/row/", views.party_row, name="party_row"),
    path("parties/<uuid:party_id>/edit/", views.party_edit, name="party_edit"),
    path("parties/<uuid:party_id>/delete/", views.party_delete, name="party_delete"),
]
