"""How the tenancy matrices reach the account pages (allauth's flows live under /account/)."""

# The path parameters of the e-mail confirmation and password-reset links: made-up values,
# which the pages answer as an invalid or expired link.
WEB_PARAMS = {
    "key": lambda w: "not-a-real-key",
    "uidb36": lambda w: "zz",
    # Single sign-on's pages for a provider: none is configured in the tests' worlds.
    "provider_id": lambda w: "not-configured",
}

# Pages anybody may open signed out: signing in and out, the closed sign-up page, resetting a
# forgotten password, and the second step of signing in (which sends a visitor with no sign-in
# under way back to the first).
PUBLIC_WEB = {
    "account_login", "account_logout", "account_inactive", "account_signup",
    "account_confirm_login_code", "account_email_verification_sent", "account_confirm_email",
    "account_reset_password", "account_reset_password_done", "account_reset_password_from_key",
    "account_reset_password_from_key_done", "mfa_authenticate",
    # Single sign-on: starting it, the provider's return, and its error, cancel and closed
    # sign-up pages.
    "openid_connect_login", "openid_connect_callback", "socialaccount_login_cancelled",
    "socialaccount_login_error", "socialaccount_signup",
}


def build(world, ctx, tag: str) -> None:
    """Account pages hold nothing of an organisation: no records to add to the worlds."""
