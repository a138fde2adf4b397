from django.urls import path

from aims.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.requirement_list, name="list"),
    path("<str:ref>/", views.requirement_detail, name="detail"),
]
