from django.urls import path, re_path

from aims.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.index, name="index"),
    path("own/<str:catalog>/", views.own, name="own"),
    path("own/<str:catalog>/<str:control>/", views.own_item, name="own_item"),
    path("own/<str:catalog>/<str:control>/edit/", views.own_item_edit, name="own_item_edit"),
    path("<str:framework>/coverage/", views.coverage, name="coverage"),
    re_path(r"^(?P<framework>[\w-]+)/coverage\.(?P<fmt>csv|xlsx)$", views.coverage_export_view,
            name="export"),
]
