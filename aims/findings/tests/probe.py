"""How the tenancy, role and error matrices reach the security findings routes (see
aims.testing.tenancy): one scan of the world's AI system with an open finding (to triage, put
forward for acceptance and raise from) and one whose acceptance an editor asked for (to
approve or refuse)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aims.findings.models import Finding
from aims.findings.services import finding_accept_request, scan_import
from aims.findings.tests.conftest import result, sarif
from aims.testing.factories import ctx_for
from aims.testing.tenancy import Multipart


def build(world, ctx, tag: str) -> None:
    """Two findings of a scan of the world's system, named with `tag`."""
    content = sarif([result(rule=f"{tag}-secret-rule", uri=f"{tag.lower()}/private.py",
                            text=f"{tag} confidential scanner message"),
                     result(rule=f"{tag}-secret-rule", uri=f"{tag.lower()}/private.py", line=20,
                            text=f"{tag} hidden second message")], tool=f"{tag}scan")
    scan = scan_import(ctx=ctx, system_id=world.system.pk, content=content,
                       file_name=f"{tag}-scan.sarif")
    open_one, asked = Finding.objects.for_org(world.org).filter(
        last_scan=scan).order_by("number")
    asked = finding_accept_request(
        ctx=ctx_for(world.org, world.editor), finding_id=asked.pk, version=asked.version,
        justification=f"{tag} private justification text",
        expires_on=timezone.localdate() + datetime.timedelta(days=60))
    world.extra.update(finding=open_one, finding_asked=asked, scan=scan)
    world.secrets += [open_one.message, asked.message, asked.justification, open_one.rule_id,
                      open_one.location, *(str(x.pk) for x in (open_one, asked, scan))]


def _x(name):
    return lambda w: w.extra[name].pk


def _upload(s, i) -> Multipart:
    return Multipart({"file": SimpleUploadedFile(
        "probe.sarif", sarif([result(rule="probe/rule", text="Probe finding.")]),
        content_type="application/sarif+json")})


F = "/orgs/{slug}/findings/{finding_id}"
PATH_PARAMS = {"finding_id": _x("finding")}
ORG_UNIQUE_PARAMS = {"finding_id"}
VERSIONED_BY = {"finding_id": lambda w: w.extra["finding"].version}
ROUTE_PARAMS = {
    ("POST", F + "/approve"): {"finding_id": _x("finding_asked")},
    ("POST", F + "/return"): {"finding_id": _x("finding_asked")},
}
BODIES = {
    ("POST", "/orgs/{slug}/ai-systems/{system_id}/findings/import"): _upload,
    ("PATCH", F): lambda s, i: {"version": i.extra["finding"].version,
                                "status_reason": "Probe: triaged.", "owner": str(s.editor.pk)},
    ("POST", F + "/accept"): lambda s, i: {
        "version": i.extra["finding"].version,
        "justification": "Probe: behind the VPN only.",
        "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()},
    ("POST", F + "/approve"): lambda s, i: {"version": i.extra["finding_asked"].version},
    ("POST", F + "/return"): lambda s, i: {"version": i.extra["finding_asked"].version,
                                           "comment": "Probe: fix it instead, please."},
    ("POST", F + "/risk"): lambda s, i: {},
    ("POST", F + "/nonconformity"): lambda s, i: {},
}
WRITE_PERMS = {"findings": "findings.change"}
ROUTE_PERMS = {
    ("POST", "/orgs/{slug}/ai-systems/{system_id}/findings/import"): "findings.change",
    ("POST", F + "/approve"): "findings.accept",
    ("POST", F + "/return"): "findings.accept",
    ("POST", F + "/risk"): "risks.change",
    ("POST", F + "/nonconformity"): "improvement.raise",
}
# Raising a risk or a nonconformity also links the finding to it.
MULTI_EVENT_ROUTES = {("POST", F + "/risk"), ("POST", F + "/nonconformity")}
WEB_PARAMS = {"finding_id": _x("finding")}
AUDITOR_WEB_WRITES = {"findings:raise_nc"}
