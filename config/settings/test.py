"""Test settings: a fixed test-only key, fast hashing, in-memory mail, no manifest for static files."""

import os
import secrets
import tempfile

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECRET_KEY = "aims-test-only-key-never-used-outside-the-test-suite"
# A fresh folder per process, named here and created by the storage on the first upload:
# importing settings writes nothing (conftest removes it at the end of the session).
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"aims-test-media-{os.getpid()}-{secrets.token_hex(4)}"  # noqa: F405
# Tests never collect static files: look them up per request instead of scanning (and warning
# about) a STATIC_ROOT that need not exist.
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
ALLOWED_HOSTS = ["*"]
if "DATABASE_URL" not in os.environ:
    DATABASES = {"default": {**DATABASES["default"], "NAME": ":memory:"}}  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
# No API rate limit unless a test sets one (tests share one address and one cache).
AIMS_API_RATE = ""
