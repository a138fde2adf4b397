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
    # Background jobs (large exports) cost the server work and are logged: the roles that
    # write, and auditors, who prepare exports as their audit work.
    "jobs.start": frozenset({*EDITORS, Role.AUDITOR}),
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
    # Scanner findings on AI systems: editors import and triage; accepting one as an
    # exception is approved by an owner or admin other than the one who asked.
    "findings.change": EDITORS,
    "findings.accept": ADMINS,
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


# What each permission lets a member do, in the words the refusal shows them.
PERMISSION_WORDS: dict[str, str] = {
    "org.view": "reading this organisation's record",
    "org.manage": "managing the organisation itself",
    "members.manage": "managing members and their roles",
    "activity.view": "reading the activity log",
    "jobs.start": "starting background jobs such as large exports",
    "catalog.view": "reading the catalog of requirements",
    "frameworks.manage": "choosing the frameworks the organisation reports against",
    "inventory.change": "changing the AI system inventory",
    "compliance.change": "changing the Statement of Applicability and the gap analysis",
    "context.change": "changing the context, scope and interested parties",
    "risks.change": "changing AI risks and their treatment",
    "impact.change": "changing impact assessments",
    "impact.approve": "approving impact assessments",
    "objectives.change": "changing AI objectives and their measurements",
    "audits.change": "planning and recording internal audits",
    "documents.change": "changing documents",
    "documents.approve": "approving documents",
    "evidence.change": "adding and changing evidence",
    "tasks.change": "changing tasks",
    "people.change": "changing AIMS roles and responsibilities",
    "training.change": "recording training and competence",
    "suppliers.change": "changing suppliers and customers",
    "lifecycle.approve": "approving moves of an AI system through its life cycle",
    "findings.change": "importing and triaging security findings",
    "findings.accept": "approving the acceptance of a security finding",
    "monitoring.change": "changing monitoring and its results",
    "improvement.raise": "raising incidents and nonconformities",
    "improvement.change": "changing incidents, nonconformities and improvements",
    "improvement.verify": "verifying corrective actions",
    "reviews.change": "planning and minuting management reviews",
    "readiness.manage": "managing the readiness plan and the certification cycle",
}


def refusal(role: str | None, perm: str, org_name: str) -> str:
    """Why a member is refused, in words: what the action is and which roles may do it."""
    allowed = [r.label for r in Role if r in PERMISSIONS[perm]]
    needed = (allowed[0] if len(allowed) == 1
              else ", ".join(allowed[:-1]) + " or " + allowed[-1])
    yours = Role(role).label if role in Role.values else "none"
    what = PERMISSION_WORDS.get(perm, "this")
    return (f"Your role in {org_name} is {yours}. {what[0].upper()}{what[1:]} needs the role "
            f"{needed}: ask an owner or admin of {org_name} if you need it.")


def role_can(role: str | None, perm: str) -> bool:
    """True when `role` holds `perm`; unknown permissions are a programming error."""
    if perm not in PERMISSIONS:
        raise KeyError(f"unknown permission {perm!r}")
    return role in PERMISSIONS[perm]
