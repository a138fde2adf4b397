from django.urls import re_path

from aims.oscal import views

app_name = "oscal"
urlpatterns = [
    re_path(r"^$", views.index, name="index"),
    re_path(r"^(?P<model>catalog|profile|ssp|assessment-plan|assessment-results|poam)\.json$",
            views.download, name="download"),
    re_path(r"^import-profile/$", views.profile_import_view, name="import_profile"),
    re_path(r"^import-catalog/$", views.catalog_import_view, name="import_catalog"),
    re_path(r"^own/(?P<catalog>[\w.-]+)\.json$", views.own_catalog, name="own_catalog"),
]
