from django.urls import path, re_path

from aims.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:framework>/coverage/", views.coverage, name="coverage"),
    re_path(r"^(?P<framework>[\w-]+)/coverage\.(?P<fmt>csv|xlsx)$", views.coverage_export_view,
            name="export"),
]
