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
]
