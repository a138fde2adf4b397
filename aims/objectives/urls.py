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
    path("monitoring/", views.monitor_list, name="monitors"),
    path("monitoring/new/", views.monitor_create, name="monitor_create"),
    path("monitoring/<uuid:monitor_id>/", views.monitor_detail, name="monitor_detail"),
    path("monitoring/<uuid:monitor_id>/edit/", views.monitor_edit, name="monitor_edit"),
    path("monitoring/<uuid:monitor_id>/delete/", views.monitor_delete, name="monitor_delete"),
    path("monitoring/<uuid:monitor_id>/results/add/", views.result_add, name="result_add"),
    path("monitoring/<uuid:monitor_id>/results/<uuid:result_id>/delete/", views.result_delete,
         name="result_delete"),
]
