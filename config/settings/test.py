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
# The activity log's seal key is fixed (tests that rotate keys override it); checkpoints and
# their signing key live in a per-process folder beside MEDIA_ROOT, created on first use.
AIMS_LOG_KEYS = "test:aims-test-only-log-key-never-used-outside-the-test-suite"
_LOG_DIR = Path(f"{MEDIA_ROOT}-log")  # noqa: F405
AIMS_LOG_ANCHOR_KEY_FILE = _LOG_DIR / "log_anchor_key.pem"
AIMS_LOG_ANCHOR_FILE = _LOG_DIR / "log_anchors.jsonl"
AIMS_LOG_KEY_FILE = _LOG_DIR / "log_keys"
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
# Nothing is kept for reuse (aims/activity/kept.py): fixtures write records without logging
# them, so the head of the log does not name the record's state (the tests of keeping turn
# it on).
AIMS_KEPT_READS = 0
# Jobs run in the test's own thread and connection: no heartbeat thread beside them.
AIMS_JOB_HEARTBEAT_SECONDS = 0
