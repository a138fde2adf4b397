from django.urls import path

from aims.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list_view, name="list"),
    path("start/", views.job_start_view, name="start"),
    path("<uuid:job_id>/", views.job_detail_view, name="detail"),
    path("<uuid:job_id>/file/", views.job_file_view, name="file"),
]
