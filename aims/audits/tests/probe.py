"""How the tenancy, role and error matrices reach the internal-audit routes (see
aims.testing.tenancy)."""

from __future__ import annotations

import datetime

from aims.audits.models import AuditLine, LineResult
from aims.audits.services import audit_create, line_update, programme_create
from aims.testing.factories import make_ai_system


def build(world, ctx, tag: str) -> None:
    """A programme with an audit whose every checklist line is assessed (so its report can be
    issued, and its conforming line edited), plus an empty programme and an audit without
    results, which the DELETE routes remove. Both deletable records stay at version 1, the
    version the matrices quote for their path parameter. The audit samples an AI system of
    its own: a checklist line keeps its system from deletion, and the world's system must
    stay deletable."""
    today = datetime.date.today()
    sampled = make_ai_system(ctx, name=f"{tag} Audited Pricing Model", owner=world.editor.pk)
    programme = programme_create(ctx=ctx, data={
        "name": f"{tag} audit programme", "start_date": today.replace(day=1),
        "objectives": f"{tag} confidential audit priorities"})
    empty = programme_create(ctx=ctx, data={
        "name": f"{tag} spare programme", "start_date": today.replace(day=1)})
    audit = audit_create(ctx=ctx, data={
        "title": f"{tag} audit of claims model governance", "programme": programme.pk,
        "requirements": ["9.2.1", "A.5.2"], "ai_systems": [sampled.pk],
        "lead_auditor": world.owner.pk, "units": f"{tag} claims operations"})
    spare = audit_create(ctx=ctx, data={
        "title": f"{tag} planned supplier audit", "programme": programme.pk,
        "requirements": ["A.10.3"]})
    lines = list(AuditLine.objects.for_org(world.org).filter(audit=audit).order_by("sort_key"))
    conforming, finding = lines
    conforming = line_update(ctx=ctx, line_id=conforming.pk, version=conforming.version,
                             data={"result": LineResult.CONFORMING,
                                   "notes": f"{tag} audit plan seen"})
    finding = line_update(ctx=ctx, line_id=finding.pk, version=finding.version, data={
        "result": LineResult.MINOR_NC, "notes": f"{tag} secret impact assessment gap"})
    world.extra.update(audit_system=sampled, audit_programme=programme,
                       audit_programme_empty=empty, audit=audit,
                       audit_spare=spare, audit_line=conforming, audit_finding=finding)
    world.secrets += [sampled.name, programme.name, programme.objectives, empty.name, audit.title,
                      audit.units, spare.title, conforming.notes, finding.notes,
                      *(str(x.pk) for x in (programme, empty, audit, spare, conforming,
                                            finding))]


PATH_PARAMS = {
    "programme_id": lambda w: w.extra["audit_programme"].pk,
    "audit_id": lambda w: w.extra["audit"].pk,
    "line_id": lambda w: w.extra["audit_line"].pk,
}
ORG_UNIQUE_PARAMS = {"programme_id", "audit_id", "line_id"}
WEB_PARAMS = dict(PATH_PARAMS)
VERSIONED_BY = {
    "programme_id": lambda w: w.extra["audit_programme"].version,
    "audit_id": lambda w: w.extra["audit"].version,
    "line_id": lambda w: w.extra["audit_line"].version,
}

P = "/orgs/{slug}/audit-programmes/{programme_id}"
A = "/orgs/{slug}/audits/{audit_id}"
ROUTE_PARAMS = {
    ("DELETE", P): {"programme_id": lambda w: w.extra["audit_programme_empty"].pk},
    ("DELETE", A): {"audit_id": lambda w: w.extra["audit_spare"].pk},
}

WRITE_PERMS = {"audit-programmes": "audits.change", "audits": "audits.change",
               "audit-findings": "audits.change"}

BODIES = {
    ("POST", "/orgs/{slug}/audit-programmes"):
        lambda s, i: {"name": "Probe programme", "start_date": "2026-01-01"},
    ("PATCH", P): lambda s, i: {"version": i.extra["audit_programme"].version,
                                "name": "Probe renamed programme"},
    ("POST", "/orgs/{slug}/audits"): lambda s, i: {
        "title": "Probe audit", "programme": str(s.extra["audit_programme"].pk),
        "requirements": ["8.2", "A.6.2.4"], "ai_systems": [str(s.extra["audit_system"].pk)],
        "lead_auditor": str(s.owner.pk)},
    ("PATCH", A): lambda s, i: {"version": i.extra["audit"].version,
                                "title": "Probe renamed audit"},
    ("POST", A + "/transition"): lambda s, i: {"version": i.extra["audit"].version,
                                               "to": "in_progress"},
    ("POST", A + "/checklist"): lambda s, i: {"version": i.extra["audit"].version},
    ("POST", A + "/report"): lambda s, i: {"version": i.extra["audit"].version,
                                           "summary": "Probe summary.",
                                           "conclusion": "Probe conclusion."},
    ("PATCH", A + "/lines/{line_id}"): lambda s, i: {"version": i.extra["audit_line"].version,
                                                     "notes": "Probe notes"},
}

# Web write views by URL namespace → the permission they need. Auditors hold audits.change,
# so the web matrix must expect success, not 403, from an auditor on these (the lead wires
# this into aims/core/tests/test_tenancy_web.py).
# Audit work is the auditor role's whole job: these web writes must work for auditors too.
AUDITOR_WEB_WRITES = {f"audits:{name}" for name in (
    "programme_create", "programme_edit", "programme_delete", "create", "edit", "delete",
    "start", "close", "cancel", "regenerate", "report", "line", "line_edit")}
