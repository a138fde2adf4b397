from django.urls import path

from aims.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("members/", views.members, name="members"),
    path("members/<uuid:member_id>/role/", views.member_role, name="member_role"),
    path("members/<uuid:member_id>/remove/", views.member_remove, name="member_remove"),
]
