from django.urls import path

from aims.inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.system_list, name="list"),
    path("new/", views.system_create, name="create"),
    path("<uuid:system_id>/", views.system_detail, name="detail"),
    path("<uuid:system_id>/edit/", views.system_edit, name="edit"),
    path("<uuid:system_id>/retire/", views.system_retire, name="retire"),
    path("<uuid:system_id>/delete/", views.system_delete, name="delete"),
    path("<uuid:system_id>/changes/new/", views.change_create, name="change_create"),
    path("<uuid:system_id>/stage/", views.stage_change, name="stage"),
    path("<uuid:system_id>/approve/", views.approve, name="approve"),
    path("<uuid:system_id>/lifecycle/", views.lifecycle, name="lifecycle"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/new/", views.resource_create, name="resource_create"),
    path("resources/<uuid:resource_id>/", views.resource_detail, name="resource_detail"),
    path("resources/<uuid:resource_id>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<uuid:resource_id>/delete/", views.resource_delete, name="resource_delete"),
]
