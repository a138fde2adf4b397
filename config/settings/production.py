"""Production settings: identical to base; every difference is an environment variable."""

from .base import *  # noqa: F403
