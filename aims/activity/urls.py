from django.urls import path

from aims.activity import views

app_name = "activity"
urlpatterns = [
    path("", views.event_list_view, name="list"),
]
