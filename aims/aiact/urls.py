from django.urls import path

from aims.aiact import views

app_name = "aiact"
urlpatterns = [
    path("obligations/", views.calendar, name="calendar"),
    path("ai-systems/<uuid:system_id>/classification/", views.classification,
         name="classification"),
    path("ai-systems/<uuid:system_id>/classification/versions/", views.versions,
         name="versions"),
]
