"""Developer settings: Django's runserver with DEBUG on."""

from .base import *  # noqa: F403
from .base import env_bool, secret_key

SECRET_KEY = secret_key()
DEBUG = env_bool("AIMS_DEBUG", True)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
