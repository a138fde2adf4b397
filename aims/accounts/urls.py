from allauth.account import views as allauth_views
from django.urls import path
from django.views.generic import RedirectView

from aims.accounts import views

app_name = "accounts"
urlpatterns = [
    # The first addresses of the sign-in pages, kept for bookmarks and scripts: the flows
    # themselves are allauth's (account_login, account_logout, …).
    path("sign-in/", RedirectView.as_view(pattern_name="account_login", query_string=True),
         name="login"),
    path("sign-out/", allauth_views.logout, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
