from django.urls import path

from aims.objectives import views

app_name = "objectives"
urlpatterns = [
    path("", views.objective_list, name="list"),
    path("new/", views.objective_create, name="create"),
    path("<uuid:objective_id>/", views.objective_detail, name="detail"),
    path("<uuid:objective_id>/edit/", views.objective_edit, name="edit"),
    path("<uuid:objective_id>/delete/", views.objective_delete, name="delete"),
    path("<uuid:objective_id>/measurements/add/", views.measurement_add, name="measurement_add"),
    path("<uuid:objective_id>/measurements/<uuid:measurement_id>/delete/",
         views.measurement_delete, name="measurement_delete"),
]
