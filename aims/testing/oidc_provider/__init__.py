"""A small OpenID Connect provider (django-oauth-toolkit) that tests start in a second process,
so single sign-on is tried against a real provider: discovery, an RS256-signed ID token, the
authorization-code flow with PKCE, a sign-in page and userinfo. Test support only."""
