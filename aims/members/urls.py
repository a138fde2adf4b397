from django.urls import path

from aims.members import views

app_name = "members"
urlpatterns = [
    path("", views.members, name="list"),
    path("security/", views.security, name="security"),
    path("invite/", views.invite, name="invite"),
    path("<uuid:member_id>/", views.member_edit, name="edit"),
    path("<uuid:member_id>/role/", views.member_role, name="role"),
    path("<uuid:member_id>/end/", views.member_end, name="end"),
    path("<uuid:member_id>/remove/", views.member_remove, name="remove"),
    path("invitations/<uuid:invitation_id>/resend/", views.invitation_resend,
         name="invitation_resend"),
    path("invitations/<uuid:invitation_id>/revoke/", views.invitation_revoke,
         name="invitation_revoke"),
]
