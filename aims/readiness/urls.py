from django.urls import path

from aims.readiness import views

app_name = "readiness"
urlpatterns = [
    path("certification/", views.certification, name="certification"),
]
