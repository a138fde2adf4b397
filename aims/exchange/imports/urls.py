from django.urls import path

from aims.exchange.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:run_id>/", views.detail, name="detail"),
    path("<uuid:run_id>/status/", views.status, name="status"),
    path("<uuid:run_id>/confirm/", views.confirm, name="confirm"),
    path("registers/<str:register>.<str:fmt>", views.register_file, name="register_file"),
]
