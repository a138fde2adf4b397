from django.urls import path

from aims.evidence import views

app_name = "evidence"
urlpatterns = [
    path("<uuid:evidence_id>/download/", views.evidence_download, name="download"),
]
