from django.urls import path

from aims.members import views

app_name = "members"
urlpatterns = [
    path("", views.members, name="list"),
    path("security/", views.security, name="security"),
    path("<uuid:member_id>/role/", views.member_role, name="role"),
    path("<uuid:member_id>/remove/", views.member_remove, name="remove"),
]
