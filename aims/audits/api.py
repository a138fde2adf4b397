"""Internal audits: the API."""

import uuid

from ninja import Query, Schema, Status
from ninja.pagination import paginate

from aims.audits import selectors, services
from aims.audits.pdf import audit_report_pdf
from aims.audits.schemas import (
    AuditIn,
    AuditOut,
    AuditPatch,
    ChecklistOut,
    CoverageOut,
    LineOut,
    LinePatch,
    ProgrammeIn,
    ProgrammeOut,
    ProgrammePatch,
    ReportIn,
    TransitionIn,
)
from aims.core.api import VersionIn
from aims.core.paging import BoundedPagination
from aims.core.responses import file_response
from aims.orgs.api import OrgRequest, OrgRouter

router = OrgRouter()

PROGRAMMES = "/{slug}/audit-programmes"
PROGRAMME = PROGRAMMES + "/{programme_id}"
AUDITS = "/{slug}/audits"
AUDIT = AUDITS + "/{audit_id}"


# ---------------------------------------------------------------------------- programmes


@router.get(PROGRAMMES, response=list[ProgrammeOut])
@paginate(BoundedPagination)
def programme_list(request: OrgRequest, slug: str):
    """Audit programmes, newest cycle first."""
    return selectors.programme_list(ctx=request.ctx)


@router.post(PROGRAMMES, response={201: ProgrammeOut}, perm="audits.change")
def programme_create(request: OrgRequest, slug: str, payload: ProgrammeIn):
    ctx = request.ctx
    programme = services.programme_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.programme_get(ctx=ctx, programme_id=programme.pk))


@router.get(PROGRAMME, response=ProgrammeOut)
def programme_get(request: OrgRequest, slug: str, programme_id: uuid.UUID):
    return selectors.programme_get(ctx=request.ctx, programme_id=programme_id)


@router.patch(PROGRAMME, response=ProgrammeOut, perm="audits.change")
def programme_update(request: OrgRequest, slug: str, programme_id: uuid.UUID,
                     payload: ProgrammePatch):
    ctx = request.ctx
    services.programme_update(ctx=ctx, programme_id=programme_id, **payload.changes())
    return selectors.programme_get(ctx=ctx, programme_id=programme_id)


@router.delete(PROGRAMME, perm="audits.change")
def programme_delete(request: OrgRequest, slug: str, programme_id: uuid.UUID, version: int):
    services.programme_delete(ctx=request.ctx, programme_id=programme_id, version=version)
    return Status(204, None)


@router.get(PROGRAMME + "/coverage", response=CoverageOut)
def programme_coverage(request: OrgRequest, slug: str, programme_id: uuid.UUID):
    """Which leaf clauses and applicable (or undecided) Annex A controls the cycle covers
    (a reported or closed audit has them in scope), has planned, or misses."""
    ctx = request.ctx
    programme = selectors.programme_get(ctx=ctx, programme_id=programme_id)
    cov = selectors.programme_coverage(ctx=ctx, programme=programme)

    def audits(refs):
        return [{"id": a.id, "ref": a.ref, "status": a.status} for a in refs]

    rows = [{"ref": r.requirement.ref, "title": r.requirement.title,
             "kind": r.requirement.kind, "group": g.ref, "state": r.state, "soa": r.soa,
             "covered_by": audits(r.covered_by), "planned_in": audits(r.planned_in)}
            for g in cov.groups for r in g.rows]
    return {"programme": programme.pk, "required": cov.required, **cov.counts,
            "undecided_controls": cov.undecided,
            "excluded_controls": [r.ref for r in cov.excluded], "rows": rows}


# ---------------------------------------------------------------------------- audits


class AuditQuery(Schema):
    q: str = ""
    programme: uuid.UUID | None = None
    status: str = ""
    lead_auditor: uuid.UUID | None = None


def _filters(query) -> selectors.AuditFilters:
    d = query.dict()
    return selectors.AuditFilters(**{k: str(v) if v is not None else "" for k, v in d.items()})


def _audit_out(ctx, audit_id):
    audit = selectors.audit_get(ctx=ctx, audit_id=audit_id)
    audit.independence_warnings = selectors.audit_independence(ctx=ctx, audit=audit)
    return audit


@router.get(AUDITS, response=list[AuditOut])
@paginate(BoundedPagination)
def audit_list(request: OrgRequest, slug: str, query: Query[AuditQuery]):
    """Audits, newest first."""
    return selectors.audit_list(ctx=request.ctx, filters=_filters(query))


@router.post(AUDITS, response={201: AuditOut}, perm="audits.change")
def audit_create(request: OrgRequest, slug: str, payload: AuditIn):
    """Plan an audit; its checklist is generated from the scope."""
    ctx = request.ctx
    audit = services.audit_create(ctx=ctx, data=payload.dict())
    return Status(201, _audit_out(ctx, audit.pk))


@router.get(AUDIT, response=AuditOut)
def audit_get(request: OrgRequest, slug: str, audit_id: uuid.UUID):
    """One audit, with independence warnings."""
    return _audit_out(request.ctx, audit_id)


@router.patch(AUDIT, response=AuditOut, perm="audits.change")
def audit_update(request: OrgRequest, slug: str, audit_id: uuid.UUID, payload: AuditPatch):
    """Change an audit not yet reported; a new scope adds checklist lines."""
    ctx = request.ctx
    services.audit_update(ctx=ctx, audit_id=audit_id, **payload.changes())
    return _audit_out(ctx, audit_id)


@router.delete(AUDIT, perm="audits.change")
def audit_delete(request: OrgRequest, slug: str, audit_id: uuid.UUID, version: int):
    """Delete an audit planned by mistake (one without results)."""
    services.audit_delete(ctx=request.ctx, audit_id=audit_id, version=version)
    return Status(204, None)


@router.post(AUDIT + "/transition", response=AuditOut, perm="audits.change")
def audit_transition(request: OrgRequest, slug: str, audit_id: uuid.UUID,
                     payload: TransitionIn):
    """Start, close or cancel an audit."""
    ctx = request.ctx
    services.audit_transition(ctx=ctx, audit_id=audit_id, to=payload.to,
                              version=payload.version)
    return _audit_out(ctx, audit_id)


@router.post(AUDIT + "/checklist", response=ChecklistOut, perm="audits.change")
def checklist_regenerate(request: OrgRequest, slug: str, audit_id: uuid.UUID,
                         payload: VersionIn):
    """Regenerate the checklist from the scope; answered lines are kept."""
    return services.checklist_regenerate(ctx=request.ctx, audit_id=audit_id,
                                         version=payload.version)


@router.post(AUDIT + "/report", response=AuditOut, perm="audits.change")
def report_issue(request: OrgRequest, slug: str, audit_id: uuid.UUID, payload: ReportIn):
    """Issue the report: the audit becomes reported and its checklist is frozen."""
    ctx = request.ctx
    services.report_issue(ctx=ctx, audit_id=audit_id, data=payload.dict(exclude={"version"}),
                          version=payload.version)
    return _audit_out(ctx, audit_id)


@router.get(AUDIT + "/report.pdf", response={200: None})
def report_pdf(request: OrgRequest, slug: str, audit_id: uuid.UUID):
    """The audit report as a PDF (a draft until the report is issued)."""
    return file_response(*audit_report_pdf(ctx=request.ctx, audit_id=audit_id))


# ---------------------------------------------------------------------------- lines


class LineQuery(Schema):
    result: str = ""
    findings_only: bool = False


@router.get(AUDIT + "/lines", response=list[LineOut])
@paginate(BoundedPagination)
def line_list(request: OrgRequest, slug: str, audit_id: uuid.UUID, query: Query[LineQuery]):
    """The audit's checklist in document order."""
    return selectors.line_list(ctx=request.ctx, audit_id=audit_id,
                               filters=selectors.LineFilters(**query.dict()))


@router.get(AUDIT + "/lines/{line_id}", response=LineOut)
def line_get(request: OrgRequest, slug: str, audit_id: uuid.UUID, line_id: uuid.UUID):
    return selectors.line_get(ctx=request.ctx, line_id=line_id, audit_id=audit_id)


@router.patch(AUDIT + "/lines/{line_id}", response=LineOut, perm="audits.change")
def line_update(request: OrgRequest, slug: str, audit_id: uuid.UUID, line_id: uuid.UUID,
                payload: LinePatch):
    """Record a line's result, notes and evidence; a finding needs notes."""
    ctx = request.ctx
    services.line_update(ctx=ctx, line_id=line_id, audit_id=audit_id, **payload.changes())
    return selectors.line_get(ctx=ctx, line_id=line_id)


# ---------------------------------------------------------------------------- findings


class FindingQuery(Schema):
    q: str = ""
    programme: uuid.UUID | None = None
    audit: uuid.UUID | None = None
    result: str = ""
    requirement: str = ""
    ai_system: uuid.UUID | None = None


@router.get("/{slug}/audit-findings", response=list[LineOut])
@paginate(BoundedPagination)
def finding_list(request: OrgRequest, slug: str, query: Query[FindingQuery]):
    """Findings of every audit (nonconformities, observations, opportunities for
    improvement), newest audit first."""
    d = {k: str(v) if v is not None else "" for k, v in query.dict().items()}
    return selectors.finding_list(ctx=request.ctx,
                                  filters=selectors.FindingFilters(**d))
