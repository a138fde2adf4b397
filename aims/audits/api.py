"""Internal audits: the API."""

import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
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
    VersionIn,
)
from aims.core.paging import BoundedPagination
from aims.core.responses import file_response
from aims.orgs.api import Deleted, api_ctx

router = Router()

PROGRAMMES = "/{slug}/audit-programmes"
PROGRAMME = PROGRAMMES + "/{programme_id}"
AUDITS = "/{slug}/audits"
AUDIT = AUDITS + "/{audit_id}"


# ---------------------------------------------------------------------------- programmes


@router.get(PROGRAMMES, response=list[ProgrammeOut])
@paginate(BoundedPagination)
def programme_list(request: HttpRequest, slug: str):
    """Audit programmes, newest cycle first."""
    return selectors.programme_list(ctx=api_ctx(request, slug))


@router.post(PROGRAMMES, response={201: ProgrammeOut})
def programme_create(request: HttpRequest, slug: str, payload: ProgrammeIn):
    ctx = api_ctx(request, slug)
    programme = services.programme_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.programme_get(ctx=ctx, programme_id=programme.pk))


@router.get(PROGRAMME, response=ProgrammeOut)
def programme_get(request: HttpRequest, slug: str, programme_id: uuid.UUID):
    return selectors.programme_get(ctx=api_ctx(request, slug), programme_id=programme_id)


@router.patch(PROGRAMME, response=ProgrammeOut)
def programme_update(request: HttpRequest, slug: str, programme_id: uuid.UUID,
                     payload: ProgrammePatch):
    ctx = api_ctx(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.programme_update(ctx=ctx, programme_id=programme_id, data=data, version=version)
    return selectors.programme_get(ctx=ctx, programme_id=programme_id)


@router.delete(PROGRAMME, response=Deleted)
def programme_delete(request: HttpRequest, slug: str, programme_id: uuid.UUID, version: int):
    services.programme_delete(ctx=api_ctx(request, slug), programme_id=programme_id,
                              version=version)
    return Deleted()


@router.get(PROGRAMME + "/coverage", response=CoverageOut)
def programme_coverage(request: HttpRequest, slug: str, programme_id: uuid.UUID):
    """Which leaf clauses and applicable (or undecided) Annex A controls the cycle covers
    (a reported or closed audit has them in scope), has planned, or misses."""
    ctx = api_ctx(request, slug)
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
def audit_list(request: HttpRequest, slug: str, query: Query[AuditQuery]):
    """Audits, newest first."""
    return selectors.audit_list(ctx=api_ctx(request, slug), filters=_filters(query))


@router.post(AUDITS, response={201: AuditOut})
def audit_create(request: HttpRequest, slug: str, payload: AuditIn):
    """Plan an audit; its checklist is generated from the scope."""
    ctx = api_ctx(request, slug)
    audit = services.audit_create(ctx=ctx, data=payload.dict())
    return Status(201, _audit_out(ctx, audit.pk))


@router.get(AUDIT, response=AuditOut)
def audit_get(request: HttpRequest, slug: str, audit_id: uuid.UUID):
    """One audit, with independence warnings."""
    return _audit_out(api_ctx(request, slug), audit_id)


@router.patch(AUDIT, response=AuditOut)
def audit_update(request: HttpRequest, slug: str, audit_id: uuid.UUID, payload: AuditPatch):
    """Change an audit not yet reported; a new scope adds checklist lines."""
    ctx = api_ctx(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.audit_update(ctx=ctx, audit_id=audit_id, data=data, version=version)
    return _audit_out(ctx, audit_id)


@router.delete(AUDIT, response=Deleted)
def audit_delete(request: HttpRequest, slug: str, audit_id: uuid.UUID, version: int):
    """Delete an audit planned by mistake (one without results)."""
    services.audit_delete(ctx=api_ctx(request, slug), audit_id=audit_id, version=version)
    return Deleted()


@router.post(AUDIT + "/transition", response=AuditOut)
def audit_transition(request: HttpRequest, slug: str, audit_id: uuid.UUID,
                     payload: TransitionIn):
    """Start, close or cancel an audit."""
    ctx = api_ctx(request, slug)
    services.audit_transition(ctx=ctx, audit_id=audit_id, to=payload.to,
                              version=payload.version)
    return _audit_out(ctx, audit_id)


@router.post(AUDIT + "/checklist", response=ChecklistOut)
def checklist_regenerate(request: HttpRequest, slug: str, audit_id: uuid.UUID,
                         payload: VersionIn):
    """Regenerate the checklist from the scope; answered lines are kept."""
    return services.checklist_regenerate(ctx=api_ctx(request, slug), audit_id=audit_id,
                                         version=payload.version)


@router.post(AUDIT + "/report", response=AuditOut)
def report_issue(request: HttpRequest, slug: str, audit_id: uuid.UUID, payload: ReportIn):
    """Issue the report: the audit becomes reported and its checklist is frozen."""
    ctx = api_ctx(request, slug)
    data = payload.dict()
    version = data.pop("version")
    services.report_issue(ctx=ctx, audit_id=audit_id, data=data, version=version)
    return _audit_out(ctx, audit_id)


@router.get(AUDIT + "/report.pdf", response={200: None})
def report_pdf(request: HttpRequest, slug: str, audit_id: uuid.UUID):
    """The audit report as a PDF (a draft until the report is issued)."""
    return file_response(*audit_report_pdf(ctx=api_ctx(request, slug), audit_id=audit_id))


# ---------------------------------------------------------------------------- lines


class LineQuery(Schema):
    result: str = ""
    findings_only: bool = False


@router.get(AUDIT + "/lines", response=list[LineOut])
@paginate(BoundedPagination)
def line_list(request: HttpRequest, slug: str, audit_id: uuid.UUID, query: Query[LineQuery]):
    """The audit's checklist in document order."""
    return selectors.line_list(ctx=api_ctx(request, slug), audit_id=audit_id,
                               filters=selectors.LineFilters(**query.dict()))


@router.get(AUDIT + "/lines/{line_id}", response=LineOut)
def line_get(request: HttpRequest, slug: str, audit_id: uuid.UUID, line_id: uuid.UUID):
    return selectors.line_get(ctx=api_ctx(request, slug), line_id=line_id, audit_id=audit_id)


@router.patch(AUDIT + "/lines/{line_id}", response=LineOut)
def line_update(request: HttpRequest, slug: str, audit_id: uuid.UUID, line_id: uuid.UUID,
                payload: LinePatch):
    """Record a line's result, notes and evidence; a finding needs notes."""
    ctx = api_ctx(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.line_update(ctx=ctx, line_id=line_id, audit_id=audit_id, data=data,
                         version=version)
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
def finding_list(request: HttpRequest, slug: str, query: Query[FindingQuery]):
    """Findings of every audit (nonconformities, observations, opportunities for
    improvement), newest audit first."""
    d = {k: str(v) if v is not None else "" for k, v in query.dict().items()}
    return selectors.finding_list(ctx=api_ctx(request, slug),
                                  filters=selectors.FindingFilters(**d))
