"""Production settings: identical to base; every difference is an environment variable."""

from .base import *  # noqa: F403
from .base import secret_key

SECRET_KEY = secret_key()
