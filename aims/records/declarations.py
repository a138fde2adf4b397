"""Each app's `records.py`: where an app declares what others may point at and react to.

A module there may hold `KINDS` (the records others may link to, see `aims.records.kinds`) and
`HOOKS` (what the app does when another app reaches one of the moments of
`aims.records.hooks`). Declarations are found through the app registry, so no app imports
another to learn what it offers.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

from django.apps import apps

# Apps that declare nothing: the floors below the domains.
_FOUNDATIONS = {"aims.core", "aims.records"}


@cache
def declarations() -> tuple[ModuleType, ...]:
    """Every installed aims app's `records.py`, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("aims.") or config.name in _FOUNDATIONS:
            continue
        try:
            found.append(importlib.import_module(f"{config.name}.records"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.records":
                raise
    return tuple(found)
