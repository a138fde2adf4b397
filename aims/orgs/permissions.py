"""What each membership role may do. The one table every service consults."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"
    AUDITOR = "auditor", "Auditor"


ROLE_HELP = {
    Role.OWNER: "Everything, including managing the organisation itself.",
    Role.ADMIN: "Edits the AIMS record and manages members.",
    Role.EDITOR: "Edits the AIMS record.",
    Role.VIEWER: "Reads the AIMS record.",
    Role.AUDITOR: "Reads everything; records audit work.",
}

EVERYONE = frozenset(Role)
EDITORS = frozenset({Role.OWNER, Role.ADMIN, Role.EDITOR})
ADMINS = frozenset({Role.OWNER, Role.ADMIN})

PERMISSIONS: dict[str, frozenset[str]] = {
    "org.view": EVERYONE,
    "org.manage": frozenset({Role.OWNER}),
    "members.manage": ADMINS,
    "activity.view": EVERYONE,
    "catalog.view": EVERYONE,
    "inventory.change": EDITORS,
    "compliance.change": EDITORS,
    "context.change": EDITORS,
    "risks.change": EDITORS,
    "impact.change": EDITORS,
    "impact.approve": ADMINS,
    "objectives.change": EDITORS,
    "audits.change": frozenset({Role.OWNER, Role.ADMIN, Role.AUDITOR}),
    # Support and operation (clauses 5.3, 7, 8)
    "documents.change": EDITORS,
    "documents.approve": ADMINS,
    "evidence.change": EDITORS,
    "tasks.change": EDITORS,
    "people.change": ADMINS,
    "training.change": EDITORS,
    "suppliers.change": EDITORS,
    "lifecycle.approve": ADMINS,
    # Evaluation and improvement (clauses 9, 10)
    "monitoring.change": EDITORS,
    "improvement.raise": frozenset({*EDITORS, Role.AUDITOR}),
    "improvement.change": EDITORS,
    "improvement.verify": frozenset({Role.OWNER, Role.ADMIN, Role.AUDITOR}),
    "reviews.change": ADMINS,
    # Readiness: everyone reads it; saving it, planning from it and the certification cycle
    # are the governance lead's.
    "readiness.manage": ADMINS,
    # Which other frameworks the organisation reports against: the governance lead's choice.
    "frameworks.manage": ADMINS,
}


def role_can(role: str | None, perm: str) -> bool:
    """True when `role` holds `perm`; unknown permissions are a programming error."""
    if perm not in PERMISSIONS:
        raise KeyError(f"unknown permission {perm!r}")
    return role in PERMISSIONS[perm]
