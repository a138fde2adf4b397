from django.urls import path

from aims.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.soa, name="soa"),
    path("export/<str:fmt>/", views.soa_export_view, name="export"),
    path("clauses/", views.clauses, name="clauses"),
    path("stats/", views.soa_stats, name="stats"),
    path("<str:ref>/row/", views.soa_row, name="row"),
    path("<str:ref>/edit/", views.soa_edit, name="edit"),
    path("<str:ref>/", views.item, name="item"),
]
