"""Settings shared by every environment; everything that differs comes from the environment.

Importing settings only reads: the var directory and the generated secret key are prepared
by the `aims` command and manage.py (config.var) before Django starts.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.var import BASE_DIR, secret_key_path, var_dir

VAR_DIR = var_dir()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key() -> str:
    """AIMS_SECRET_KEY, else the key the `aims` command generated into the var directory.

    Each environment's settings call this (the test settings use a fixed key instead)."""
    if key := os.environ.get("AIMS_SECRET_KEY"):
        return key
    path = secret_key_path()
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    if not key:
        raise ImproperlyConfigured(
            f"No secret key: set AIMS_SECRET_KEY, or run `aims init` once to generate one "
            f"into {path}.")
    return key


DEBUG = env_bool("AIMS_DEBUG", False)
ALLOWED_HOSTS = env_list("AIMS_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("AIMS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # allauth's sessions page shows "3 minutes ago"
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs' assets locally (no CDN)
    "csp",
    "django_tasks",
    "django_tasks_db",
    "aims.core",
    "aims.records",
    "aims.jobs",
    "aims.accounts",
    "aims.orgs",
    "aims.activity",
    "aims.catalog",
    "aims.compliance",
    "aims.context",
    "aims.inventory",
    "aims.risks",
    "aims.impact",
    "aims.objectives",
    "aims.documents",
    "aims.evidence",
    "aims.tasks",
    "aims.people",
    "aims.suppliers",
    "aims.audits",
    "aims.reviews",
    "aims.improvement",
    "aims.findings",
    "aims.integrations",
    "aims.frameworks",
    "aims.aiact",
    "aims.members",
    "aims.readiness",
    "aims.oscal",
    "aims.exchange",
    "aims.techfile",
    "aims.dashboard",
    "aims.ops",
    # After aims.accounts, so its templates give allauth's pages the product's look.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
]

MIDDLEWARE = [
    # First: every later line of the log carries the request's id, and the time measured
    # covers the whole answer.
    "aims.ops.requestid.RequestIdMiddleware",
    "aims.ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "aims.accounts.sessions.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before anything reads the body (CSRF's view check, the views); after the user is known,
    # so the refusal page is the usual page.
    "aims.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "aims.core.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "aims.core.middleware.VaryOnHtmxMiddleware",
    # Last: turns a sign-in refused for too many failures into the "locked" page (429).
    "axes.middleware.AxesMiddleware",
]

# Django's widget markup, with inputs and selects written in Python (aims/core/widgets.py).
FORM_RENDERER = "aims.core.widgets.WidgetRenderer"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "aims" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aims.orgs.context_processors.org_context",
                "aims.navigation.navigation",
            ],
        },
    },
]


def _database() -> dj_database_url.DBConfig:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'aims.sqlite3'}")
    db = dj_database_url.parse(url, conn_max_age=int(os.environ.get("AIMS_DB_CONN_MAX_AGE", "0")))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock
        # at BEGIN so two writers queue instead of failing half-way through.
        db["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Sign-in, sign-out, password change and reset are django-allauth's flows; the e-mail address
# is the login. django-axes sits in front of every backend: after too many failures an account
# (whatever address tries it) and an address (whatever account it tries) are locked for a while.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "aims.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# People join by invitation or are created by an operator, so the address is known: no
# confirmation round trip. Self-service sign-up is off unless AIMS_SIGNUP=open.
ACCOUNT_EMAIL_VERIFICATION = "none"
AIMS_SIGNUP_OPEN = os.environ.get("AIMS_SIGNUP", "closed").strip().lower() == "open"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[aims] "
ACCOUNT_PASSWORD_INPUT_RENDER_VALUE = False
# A reset asked for an address without an account answers the same and sends nothing.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Failed sign-ins are counted by django-axes alone (in the database, so every worker and a
# restart see the same count, and the lock page explains itself); allauth's other limits
# (password reset e-mails, re-authentication, …) stay as they are.
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": None}
ACCOUNT_FORMS = {
    "login": "aims.accounts.forms.SignInForm",
    "change_password": "aims.accounts.forms.PasswordChangeForm",
    "set_password": "aims.accounts.forms.PasswordSetForm",
    "reset_password": "aims.accounts.forms.PasswordResetForm",
    "reset_password_from_key": "aims.accounts.forms.PasswordResetFromKeyForm",
}

# Single sign-on with OpenID Connect (allauth's openid_connect provider). AIMS_OIDC_PROVIDERS
# is a JSON list, or the path of a file holding one, of identity providers: {"id", "name",
# "server_url" (the issuer), "client_id", "secret"}. Each gets a "Sign in with <name>" button;
# the redirect URI to register at the provider is <site>/account/oidc/<id>/login/callback/.
OIDC_FIELDS = ("id", "name", "server_url", "client_id", "secret")


def oidc_providers(raw: str) -> list[dict]:
    """The identity providers of AIMS_OIDC_PROVIDERS as allauth's app entries; a mistake stops
    the start with a message naming the provider and the field."""
    raw = raw.strip()
    if not raw:
        return []
    if not raw.startswith(("[", "{")):
        try:
            raw = Path(raw).read_text()
        except OSError as exc:
            raise ImproperlyConfigured(f"AIMS_OIDC_PROVIDERS: cannot read {raw}: {exc}") from exc
    try:
        entries = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"AIMS_OIDC_PROVIDERS is not valid JSON: {exc}") from exc
    if not isinstance(entries, list):
        raise ImproperlyConfigured("AIMS_OIDC_PROVIDERS must be a JSON list of providers.")
    apps, seen = [], set()
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ImproperlyConfigured(f"AIMS_OIDC_PROVIDERS: provider {n} is not an object.")
        entry = {**entry, "server_url": entry.get("server_url") or entry.get("issuer")}
        for name in OIDC_FIELDS:
            if not isinstance(entry.get(name), str) or not entry[name].strip():
                raise ImproperlyConfigured(
                    f"AIMS_OIDC_PROVIDERS: provider {n} needs \"{name}\" (a non-empty text).")
        if not all(c.isalnum() or c in "-_" for c in entry["id"]) or entry["id"] in seen:
            raise ImproperlyConfigured(
                f"AIMS_OIDC_PROVIDERS: provider {n}'s \"id\" must be unique and use only "
                "letters, digits, - and _ (it is part of the redirect URI).")
        seen.add(entry["id"])
        apps.append({"provider_id": entry["id"], "name": entry["name"],
                     "client_id": entry["client_id"], "secret": entry["secret"],
                     "settings": {"server_url": entry["server_url"].rstrip("/"),
                                  "oauth_pkce_enabled": True}})
    return apps


def oidc_origins(apps: list[dict]) -> list[str]:
    """Where the sign-in buttons' forms lead after aims's redirect: each provider's origin (the
    Content-Security-Policy's form-action must allow it, or the browser stops there)."""
    from urllib.parse import urlsplit

    origins = []
    for app in apps:
        parts = urlsplit(app["settings"]["server_url"])
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins


SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"APPS": oidc_providers(os.environ.get("AIMS_OIDC_PROVIDERS", ""))},
}
# Who an SSO sign-in becomes: the account with the address the provider vouches for (only if
# the provider says it verified it), else a new account when sign-up is open or an invitation
# to that address is waiting (aims.members.sso).
SOCIALACCOUNT_ADAPTER = "aims.members.sso.SsoAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button posts a form: no sign-in started by a link
SOCIALACCOUNT_STORE_TOKENS = False

# Two-factor authentication (allauth's MFA): an authenticator app (TOTP) with recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "aims"
MFA_FORMS = {
    "authenticate": "aims.accounts.forms.MfaAuthenticateForm",
    "reauthenticate": "aims.accounts.forms.MfaReauthenticateForm",
    "activate_totp": "aims.accounts.forms.TotpActivateForm",
    "deactivate_totp": "aims.accounts.forms.TotpDeactivateForm",
}

# Throttling (django-axes): AIMS_SIGNIN_FAILURE_LIMIT failures lock the account and, separately,
# the client address for AIMS_SIGNIN_LOCKOUT_MINUTES; a success clears the count. `aims unlock`
# lifts a lock early. Behind a reverse proxy set AIMS_PROXY_COUNT so the client's address is
# read from X-Forwarded-For rather than the proxy's.
AXES_FAILURE_LIMIT = int(os.environ.get("AIMS_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AIMS_SIGNIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "aims.accounts.throttle.attempted_email"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ["AIMS_PROXY_COUNT"]) if os.environ.get("AIMS_PROXY_COUNT") else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"])

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("AIMS_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"  # filled by collectstatic (`aims serve` runs it)
# Third-party assets come from node_modules (npm ci), never from the repository.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "aims.core.staticfinders.VendorFinder",
]
MEDIA_ROOT = Path(os.environ.get("AIMS_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"


def storage_default(environ=os.environ) -> dict:
    """Where uploaded and generated files go (evidence, document files, job results).

    AIMS_STORAGE=local (the default): disk, under MEDIA_ROOT. AIMS_STORAGE=s3: any
    S3-compatible object store through django-storages: AIMS_S3_BUCKET (required),
    AIMS_S3_ENDPOINT_URL (empty for AWS itself), AIMS_S3_ACCESS_KEY_ID and
    AIMS_S3_SECRET_ACCESS_KEY (empty: the usual AWS credential chain, e.g. an instance role),
    AIMS_S3_REGION, AIMS_S3_PREFIX (a folder inside the bucket) and AIMS_S3_ADDRESSING_STYLE
    ("path" for stores such as MinIO). Any other Django storage backend by class path:
    AIMS_STORAGE_BACKEND with its options as JSON in AIMS_STORAGE_OPTIONS."""
    kind = environ.get("AIMS_STORAGE", "local").strip().lower()
    if kind == "s3":
        bucket = environ.get("AIMS_S3_BUCKET", "").strip()
        if not bucket:
            raise ImproperlyConfigured("AIMS_STORAGE=s3 needs AIMS_S3_BUCKET (the bucket's name).")
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("AIMS_S3_ENDPOINT_URL") or None,
            "access_key": environ.get("AIMS_S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("AIMS_S3_SECRET_ACCESS_KEY") or None,
            "region_name": environ.get("AIMS_S3_REGION") or None,
            "location": environ.get("AIMS_S3_PREFIX", "").strip("/"),
            "addressing_style": environ.get("AIMS_S3_ADDRESSING_STYLE") or None,
            # Files are served through aims (which checks access), never by public URL; a
            # name that exists is never overwritten (content addressing relies on it).
            "default_acl": None, "querystring_auth": True, "file_overwrite": False,
        }}
    if kind != "local":
        raise ImproperlyConfigured(f"AIMS_STORAGE must be local or s3, not {kind!r}.")
    return {"BACKEND": environ.get("AIMS_STORAGE_BACKEND",
                                   "django.core.files.storage.FileSystemStorage"),
            "OPTIONS": json.loads(environ.get("AIMS_STORAGE_OPTIONS") or "{}")}


STORAGES = {
    "default": storage_default(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("AIMS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("AIMS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("AIMS_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("AIMS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("AIMS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("AIMS_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("AIMS_EMAIL_FROM", "aims@localhost")

SESSION_COOKIE_HTTPONLY = True
# Idle timeout: a session ends after AIMS_SESSION_IDLE_MINUTES without a request. Requests
# renew the session, so the limit counts from the last click, not sign-in; it is written at
# most once per AIMS_SESSION_RENEW_SECONDS (aims.accounts.sessions), not on every request.
AIMS_SESSION_IDLE_MINUTES = int(os.environ.get("AIMS_SESSION_IDLE_MINUTES", "60"))
AIMS_SESSION_RENEW_SECONDS = int(os.environ.get("AIMS_SESSION_RENEW_SECONDS", "60"))
SESSION_COOKIE_AGE = AIMS_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy on every response (django-csp): scripts, styles, images, fonts and
# requests only from this origin; no inline script, no eval (htmx is configured for that in
# base.html), no framing. Inline styles are refused too; the few <style> blocks of the print
# pages carry the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # The sign-in page's SSO buttons post to aims, which redirects to the provider.
        "form-action": [SELF, *oidc_origins(SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"])],
        "frame-ancestors": [NONE],
    },
}

# Behind TLS (a reverse proxy), set AIMS_HTTPS=1 for secure cookies and HSTS. HSTS covers the
# subdomains too (AIMS_HSTS_SUBDOMAINS=0 to leave them out); AIMS_HSTS_PRELOAD=1 asks for
# browsers' preload lists.
if env_bool("AIMS_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("AIMS_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = int(os.environ.get("AIMS_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("AIMS_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("AIMS_HSTS_PRELOAD", False)

NINJA_PAGINATION_PER_PAGE = 50

# The API's rate limit per token (per client address for session and anonymous calls):
# "N/s", "N/m", "N/h" or "N/d"; empty for none. Counted in the default cache below.
AIMS_API_RATE = os.environ.get("AIMS_API_RATE", "600/m")
# Behind a reverse proxy, how many X-Forwarded-For hops to trust for the client address; 0
# (the default) uses the connection's address, so a client cannot pick its own by header.
NINJA_NUM_PROXIES = int(os.environ.get("AIMS_NUM_PROXIES") or 0)

# The cache (rate-limit counters). Local memory is per process: with several app servers or
# workers each counts alone, so the limit multiplies. Share it with a cache every process
# reaches: AIMS_CACHE_BACKEND=django.core.cache.backends.filebased.FileBasedCache and
# AIMS_CACHE_LOCATION=/var/tmp/aims-cache (one machine), or
# django.core.cache.backends.redis.RedisCache with redis://host:6379 (pip install redis).
CACHES = {"default": {
    "BACKEND": os.environ.get("AIMS_CACHE_BACKEND",
                              "django.core.cache.backends.locmem.LocMemCache"),
    "LOCATION": os.environ.get("AIMS_CACHE_LOCATION", ""),
}}

# Reads worked out from a whole record (a readiness evaluation, the dashboard) that a process
# keeps for reuse until the organisation's record changes (aims/activity/kept.py); 0 keeps none.
AIMS_KEPT_READS = int(os.environ.get("AIMS_KEPT_READS", "256"))

# Who may create organisations: "anyone" signed in (consultants add one per client) or
# "staff" (operators only, for single-organisation installs).
AIMS_ORG_CREATION = os.environ.get("AIMS_ORG_CREATION", "anyone")

# AIMS_LOG_FORMAT=json: one JSON object a line (time, level, logger, message, request_id…);
# otherwise plain text. Either way every line written while answering a request carries its id
# (X-Request-ID in and out).
AIMS_LOG_FORMAT = os.environ.get("AIMS_LOG_FORMAT", "text").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 4xx is logged as one line (Django attaches the exception's traceback otherwise: two
    # of them for a refused action, chained).
    "filters": {"client_errors_briefly": {"()": "aims.core.logfilters.ClientErrorsBriefly"},
                "request_id": {"()": "aims.ops.logformat.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "aims.ops.logformat.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if AIMS_LOG_FORMAT == "json" else "text"}},
    "loggers": {"django.request": {"filters": ["client_errors_briefly"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("AIMS_LOG_LEVEL", "WARNING")},
}

# Background work (Django's task API, DEP 14, through django-tasks and its database backend):
# jobs wait in the database until an `aims worker` runs them (`aims serve` starts one beside
# the web server). A worker marks a running job alive every AIMS_JOB_HEARTBEAT_SECONDS; a job
# silent for AIMS_JOB_STALE_SECONDS is taken as lost (its worker died) and queued again or, on
# its last attempt, failed with that reason.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
AIMS_JOB_HEARTBEAT_SECONDS = float(os.environ.get("AIMS_JOB_HEARTBEAT_SECONDS", "5"))
AIMS_JOB_STALE_SECONDS = float(os.environ.get("AIMS_JOB_STALE_SECONDS", "60"))
# A register export (XLSX) of more rows than this is prepared as a job, with its progress,
# from the web pages (a smaller one downloads at once); the API and the CLI choose themselves.
AIMS_EXPORT_INLINE_ROWS = int(os.environ.get("AIMS_EXPORT_INLINE_ROWS", "5000"))
# An organisation holding more stored evidence files than this makes its audit pack as a job.
AIMS_PACK_INLINE_FILES = int(os.environ.get("AIMS_PACK_INLINE_FILES", "200"))

# Imports from spreadsheets: a file with more rows than AIMS_IMPORT_BACKGROUND_ROWS is checked
# and imported by a worker; an uploaded file waits AIMS_IMPORT_KEEP_HOURS for its
# confirmation.
AIMS_IMPORT_BACKGROUND_ROWS = int(os.environ.get("AIMS_IMPORT_BACKGROUND_ROWS", "2000"))
AIMS_IMPORT_KEEP_HOURS = int(os.environ.get("AIMS_IMPORT_KEEP_HOURS", "24"))

# /metrics (Prometheus): with AIMS_METRICS_TOKEN set, a scraper sends
# "Authorization: Bearer <token>"; without it, only this machine (127.0.0.1, ::1) may read it.
AIMS_METRICS_TOKEN = os.environ.get("AIMS_METRICS_TOKEN", "")

# Evidence files: the largest upload accepted, and how soon before `valid_until` evidence
# counts as expiring. Files are stored through STORAGES["default"] (local disk by default;
# any Django storage backend, e.g. S3-compatible object storage, by setting).
AIMS_EVIDENCE_MAX_MB = int(os.environ.get("AIMS_EVIDENCE_MAX_MB", "50"))
AIMS_EVIDENCE_EXPIRING_DAYS = int(os.environ.get("AIMS_EVIDENCE_EXPIRING_DAYS", "30"))

# The activity log's keys and checkpoints (README: "The activity log: keys and checkpoints").
# Seal keys: AIMS_LOG_KEYS ("id:secret,id:secret…", the last seals new events) or the key file
# `aims init` creates. Checkpoints are signed with the Ed25519 key in AIMS_LOG_ANCHOR_KEY_FILE
# and appended to AIMS_LOG_ANCHOR_FILE (and e-mailed to AIMS_LOG_ANCHOR_EMAIL when set). Keep
# all three away from the database's host and backups in production.
AIMS_LOG_KEYS = os.environ.get("AIMS_LOG_KEYS", "")
AIMS_LOG_KEY_FILE = Path(os.environ.get("AIMS_LOG_KEY_FILE", VAR_DIR / "log_keys"))
AIMS_LOG_ANCHOR_KEY_FILE = Path(os.environ.get("AIMS_LOG_ANCHOR_KEY_FILE",
                                               VAR_DIR / "log_anchor_key.pem"))
AIMS_LOG_ANCHOR_FILE = Path(os.environ.get("AIMS_LOG_ANCHOR_FILE", VAR_DIR / "log_anchors.jsonl"))
AIMS_LOG_ANCHOR_EMAIL = env_list("AIMS_LOG_ANCHOR_EMAIL")

# Invitations: how long an invitation's link works, and the address its links start with
# (empty: the address the inviting request came to).
AIMS_INVITATION_DAYS = int(os.environ.get("AIMS_INVITATION_DAYS", "7"))
AIMS_BASE_URL = os.environ.get("AIMS_BASE_URL", "")
