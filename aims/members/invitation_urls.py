"""The invited person's pages, outside any organisation: the link's page, a sign-up for the
invited address, accepting and declining."""

from django.urls import path

from aims.members import views

app_name = "invitations"
urlpatterns = [
    path("<uuid:invitation_id>/accept/", views.invitation_accept, name="accept"),
    path("<uuid:invitation_id>/decline/", views.invitation_decline, name="decline"),
    path("<str:token>/", views.invitation_open, name="open"),
    path("<str:token>/sign-up/", views.invitation_signup, name="signup"),
]
