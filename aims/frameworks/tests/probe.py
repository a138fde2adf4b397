"""Framework choices and coverage routes for the tenancy, role and API-error matrices."""

from __future__ import annotations

from aims.frameworks.models import ReportingChoice
from aims.frameworks.services import reporting_frameworks_set


def build(world, ctx, tag: str) -> None:
    """The organisation reports against the EU AI Act and ISO/IEC 27001."""
    world.extra["reporting"] = reporting_frameworks_set(
        ctx=ctx, frameworks=["eu-ai-act", "iso27001"], version=1)


def _version(w) -> int:
    return ReportingChoice.objects.for_org(w.org).get().version


PATH_PARAMS = {
    # A framework of requirements that holds the world's SoA ref too (A.5.2), so the catalog's
    # requirement routes find it as well.
    "framework": lambda w: "iso27001",
}
WEB_PARAMS = {
    "framework": lambda w: "iso27001",
    "fmt": lambda w: "csv",
}
WRITE_PERMS = {"frameworks": "frameworks.manage"}
BODIES = {
    ("PUT", "/orgs/{slug}/frameworks"):
        lambda s, i: {"frameworks": ["nist-ai-rmf", "iso27001"], "version": _version(s)},
}
