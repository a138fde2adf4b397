"""Settings of the test OpenID Connect provider; `serve` fills the environment first."""

from __future__ import annotations

import os
from pathlib import Path

STATE = Path(os.environ["OIDC_TEST_STATE_DIR"])

SECRET_KEY = "oidc-test-provider-only"  # a throwaway process of the test run
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "aims.testing.oidc_provider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [Path(__file__).resolve().parent / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": str(STATE / "provider.sqlite3")}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; test data only
LOGIN_URL = "/login/"
USE_TZ = True
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (STATE / "signing-key.pem").read_text(),
    "OAUTH2_VALIDATOR_CLASS": "aims.testing.oidc_provider.validator.ClaimsValidator",
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "Sign you in", "profile": "Your name", "email": "Your e-mail address"},
}
# Its own cookie names, so a browser talking to aims on the same machine keeps both sessions.
SESSION_COOKIE_NAME = "idp_sessionid"
CSRF_COOKIE_NAME = "idp_csrftoken"
