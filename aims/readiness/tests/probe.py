"""How the tenancy, role and error matrices reach the readiness routes (see
aims.testing.tenancy): a certification with one audit by the certification body."""

from __future__ import annotations

import datetime

from aims.readiness.services import certification_create, external_audit_create


def build(world, ctx, tag: str) -> None:
    cert = certification_create(ctx=ctx, data={
        "body": f"{tag} Certification Services", "scope_certified": f"{tag} secret scope"})
    audit = external_audit_create(ctx=ctx, certification_id=cert.pk, data={
        "kind": "stage1", "start_date": datetime.date.today() + datetime.timedelta(days=30),
        "lead_auditor": f"{tag} Lead Auditor"})
    world.extra.update(certification=cert, external_audit=audit)
    world.secrets += [cert.body, cert.scope_certified, audit.lead_auditor, str(cert.pk),
                      str(audit.pk)]


PATH_PARAMS = {
    "certification_id": lambda w: w.extra["certification"].pk,
    "external_audit_id": lambda w: w.extra["external_audit"].pk,
}
ORG_UNIQUE_PARAMS = {"certification_id", "external_audit_id"}
WEB_PARAMS = dict(PATH_PARAMS)
WRITE_PERMS = {"readiness": "readiness.manage", "certifications": "readiness.manage",
               "external-audits": "readiness.manage"}
# Generating the plan creates its tasks and steps; a body's finding raises a nonconformity.
MULTI_EVENT_ROUTES = {
    ("POST", "/orgs/{slug}/readiness/plan"),
    ("POST", "/orgs/{slug}/external-audits/{external_audit_id}/findings"),
}
BODIES = {
    ("POST", "/orgs/{slug}/readiness/snapshots"): lambda s, i: {},
    ("POST", "/orgs/{slug}/readiness/plan"): lambda s, i: {
        "target_date": (datetime.date.today() + datetime.timedelta(days=200)).isoformat()},
    ("POST", "/orgs/{slug}/certifications"): lambda s, i: {"body": "Probe Certification Ltd"},
    ("POST", "/orgs/{slug}/certifications/{certification_id}/audits"): lambda s, i: {
        "kind": "stage2", "start_date": (datetime.date.today()
                                         + datetime.timedelta(days=60)).isoformat()},
    ("POST", "/orgs/{slug}/external-audits/{external_audit_id}/findings"): lambda s, i: {
        "grade": "minor", "refs": "6.1.4", "description": "Probe: one assessment is late."},
}
