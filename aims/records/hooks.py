"""The moments at which one domain reacts to another without importing it.

The app that owns a moment calls `run(POINT, ...)`; any app that must react lists a function
for that point in its `records.py` (`HOOKS = {hooks.ORG_SEED: seed}`; a list for several).
Functions run in INSTALLED_APPS order, inside the caller's transaction, so a refusal raised by
one of them undoes the whole write.

The points, with what their functions take and give back:

- ORG_SEED `(ctx) -> None`: give a new organisation what every organisation starts with
  (its compliance items, a default risk methodology…).
- INSTANCE_UPGRADE `() -> str`: after `aims init` migrated and loaded the catalog, bring
  every existing organisation up to date (what ORG_SEED would give it now); returns a line
  for the operator, or "" when there was nothing to do.
- DEPLOYMENT_CHECKS `(ctx, system) -> Check`: one of the checks a move of an AI system to
  deployed must pass (see `aims.inventory.gates`).
- SIGNIFICANT_CHANGE `(ctx, change) -> None`: a significant change to an AI system was
  recorded.
- REQUIREMENT_FINDINGS `(ctx, refs) -> {ref: [finding]}`: what is found wrong in the record
  today about each requirement among `refs` (findings naming it, or something above or below
  it), so a requirement's page can show how it stands without its app judging the record.
  A finding is a dict: rule, severity (major, minor or observation), refs, object (kind, id,
  label, or None), message, fix and url (where to fix it).
- `before_delete(label)` `(ctx, obj) -> None`: a record of model `label` ("risks.Risk") is
  about to be deleted; raise a ValidationError saying why it must stay.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import cache
from typing import Any

from aims.records.declarations import declarations

ORG_SEED = "org.seed"
INSTANCE_UPGRADE = "instance.upgrade"
DEPLOYMENT_CHECKS = "ai_system.deployment_checks"
SIGNIFICANT_CHANGE = "ai_system.significant_change"
REQUIREMENT_FINDINGS = "requirement.findings"


def before_delete(label: str) -> str:
    """The point reached just before a record of model `label` ("app.Model") is deleted."""
    return f"{label.lower()}.before_delete"


@cache
def _registry() -> dict[str, tuple[Callable[..., Any], ...]]:
    found: dict[str, list[Callable[..., Any]]] = defaultdict(list)
    for module in declarations():
        for point, functions in getattr(module, "HOOKS", {}).items():
            found[point].extend(functions if isinstance(functions, (list, tuple))
                                else [functions])
    return {point: tuple(fns) for point, fns in found.items()}


def implementations(point: str) -> tuple[Callable[..., Any], ...]:
    """The functions apps listed for `point`, in INSTALLED_APPS order."""
    return _registry().get(point, ())


def run(point: str, **kwargs: Any) -> list[Any]:
    """Call every function listed for `point` with `kwargs`; their results in order."""
    return [fn(**kwargs) for fn in implementations(point)]
