from django.urls import path

from aims.risks import views

app_name = "risks"
urlpatterns = [
    path("", views.risk_list, name="list"),
    path("new/", views.risk_create, name="create"),
    path("heatmap/", views.risk_heatmap, name="heatmap"),
    path("export/<str:fmt>/", views.risk_export_view, name="export"),
    path("import/", views.risk_import_view, name="import"),
    path("methodology/", views.methodology, name="methodology"),
    path("methodology/edit/", views.methodology_edit, name="methodology_edit"),
    path("methodology/v<int:number>/", views.methodology_version, name="methodology_version"),
    path("<uuid:risk_id>/", views.risk_detail, name="detail"),
    path("<uuid:risk_id>/edit/", views.risk_edit, name="edit"),
    path("<uuid:risk_id>/delete/", views.risk_delete, name="delete"),
    path("<uuid:risk_id>/accept/", views.risk_accept, name="accept"),
    path("<uuid:risk_id>/actions/new/", views.action_create, name="action_create"),
    path("<uuid:risk_id>/actions/<uuid:action_id>/edit/", views.action_edit, name="action_edit"),
    path("<uuid:risk_id>/actions/<uuid:action_id>/done/", views.action_complete,
         name="action_complete"),
    path("<uuid:risk_id>/actions/<uuid:action_id>/delete/", views.action_delete,
         name="action_delete"),
]
