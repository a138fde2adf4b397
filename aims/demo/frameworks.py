"""The demo organisation reports against the EU AI Act (it deploys and provides AI in lending)
and the NIST AI RMF (asked for by a US partner bank), so both coverage views have content."""

from __future__ import annotations

from aims.frameworks.selectors import reporting_get
from aims.frameworks.services import reporting_frameworks_set
from aims.orgs.context import Ctx

FRAMEWORKS = ["eu-ai-act", "nist-ai-rmf"]


def build(*, ctxs: dict[str, Ctx]) -> None:
    admin = ctxs["admin"]
    reporting_frameworks_set(ctx=admin, frameworks=FRAMEWORKS,
                             version=reporting_get(ctx=admin).version)
