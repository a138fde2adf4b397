"""Import routes for the tenancy, role and API-error matrices (aims.testing)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from aims.exchange.imports.kinds import KINDS
from aims.exchange.imports.services import import_direct
from aims.testing.tenancy import SOA_REF, Multipart


def build(world, ctx, tag: str) -> None:
    """One applied import (of an interested party named with `tag`)."""
    report = import_direct(ctx=ctx, kind="parties", file_name=f"{tag}-parties.csv",
                           data=f"Name,Needs and expectations\n{tag} Reinsurer,{tag} secret "
                                "needs\n".encode(), dry_run=False)
    from aims.exchange.models import ImportRun

    run = ImportRun.objects.for_org(world.org).get(sha256=report.sha256)
    world.extra["import_run"] = run
    world.secrets += [f"{tag} Reinsurer", f"{tag}-parties.csv", str(run.pk)]


def _csv(kind: str):
    def body(s, i) -> Multipart:
        text = {
            "soa": f"Control,Implementation notes\n{SOA_REF},Probe import notes\n",
            "inventory": "Name,Intended purpose,Roles\nProbe imported system,Checks the "
                         "matrix,Deployer\n",
            "parties": "Name,Needs and expectations\nProbe imported party,Matrix checks\n",
            "issues": "Kind,Title\nInternal,Probe imported issue\n",
            "suppliers": "Name,Kind,What they supply\nProbe imported supplier,Supplier,"
                         "AI model\n",
            "training": f"Person (e-mail),Topic,Completed on\n{s.editor.email},"
                        "Probe imported training,2025-01-15\n",
            "evidence": "Title,Link,Covers from\nProbe imported evidence,"
                        "https://example.org/probe,2025-01-01\n",
        }[kind]
        return Multipart({"file": SimpleUploadedFile(f"{kind}.csv", text.encode(),
                                                     content_type="text/csv")})
    return body


PATH_PARAMS = {"run_id": lambda w: w.extra["import_run"].pk,
               "register_key": lambda w: "parties"}
ORG_UNIQUE_PARAMS = {"run_id"}
WEB_PARAMS = {"run_id": lambda w: w.extra["import_run"].pk, "register": lambda w: "parties"}
WRITE_PERMS = {"imports": "context.change"}
ROUTE_PERMS = {("POST", f"/orgs/{{slug}}/imports/{k.key}"): k.perm for k in KINDS.values()}
# An import logs each record it writes, and the import itself.
MULTI_EVENT_ROUTES = {("POST", f"/orgs/{{slug}}/imports/{k}") for k in KINDS}
BODIES = {("POST", f"/orgs/{{slug}}/imports/{k}"): _csv(k) for k in KINDS}
