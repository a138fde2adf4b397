"""Security findings over the API: import a scanner's SARIF report for an AI system, list and
read findings, triage them, accept one as an exception and raise risks and nonconformities."""


import uuid
from typing import Literal

from ninja import File, Query, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from aims.core.errors import ValidationError
from aims.core.paging import BoundedPagination
from aims.core.uploads import accepts_upload
from aims.findings import sarif, selectors, services
from aims.findings.models import FindingSeverity, FindingStatus
from aims.findings.schemas import (
    SecurityFindingAcceptIn,
    SecurityFindingApproveIn,
    SecurityFindingNcIn,
    SecurityFindingOut,
    SecurityFindingPatch,
    SecurityFindingReturnIn,
    SecurityFindingRiskIn,
    SecurityScanOut,
)
from aims.orgs.api import OrgRequest, OrgRouter

router = OrgRouter()


class SecurityFindingQuery(Schema):
    q: str = ""
    ai_system: uuid.UUID | None = None
    status: FindingStatus | Literal["", "unresolved"] = ""
    severity: FindingSeverity | Literal[""] = ""
    tool: str = ""
    owasp_llm: str = ""


class SecurityFindingRaisedOut(Schema):
    id: uuid.UUID
    ref: str
    title: str


@router.post("/{slug}/ai-systems/{system_id}/findings/import", response={201: SecurityScanOut},
             perm=services.PERM)
@accepts_upload
def findings_import(request: OrgRequest, slug: str, system_id: uuid.UUID,
                    file: File[UploadedFile]):
    """Import a SARIF 2.1.0 report from any scanner (multipart/form-data, a `file` part) as
    findings on the AI system. Known findings (same tool and fingerprint) are updated, fixed
    ones reported again reopen, and the tool's findings the report no longer holds are marked
    fixed. A file that is not SARIF 2.1.0 JSON, or larger than 20 MB, gets 422 and nothing is
    written."""
    if file.size is not None and file.size > sarif.MAX_BYTES:
        raise ValidationError({"file": [sarif.too_large(file.size)]})
    scan = services.scan_import(ctx=request.ctx, system_id=system_id,
                                content=file.read(sarif.MAX_BYTES + 1),
                                file_name=file.name or "")
    return Status(201, scan)


@router.get("/{slug}/findings", response=list[SecurityFindingOut])
@paginate(BoundedPagination)
def finding_list(request: OrgRequest, slug: str, query: Query[SecurityFindingQuery]):
    """Security findings, most severe first; `status=unresolved` keeps the open ones and
    those awaiting approval of an acceptance."""
    d = query.dict()
    d["ai_system"] = str(d["ai_system"]) if d["ai_system"] else ""
    return selectors.finding_list(ctx=request.ctx, filters=selectors.FindingFilters(
        **{k: v or "" for k, v in d.items()}))


@router.get("/{slug}/findings/{finding_id}", response=SecurityFindingOut)
def finding_get(request: OrgRequest, slug: str, finding_id: uuid.UUID):
    return selectors.finding_get(ctx=request.ctx, finding_id=finding_id)


@router.patch("/{slug}/findings/{finding_id}", response=SecurityFindingOut, perm=services.PERM)
def finding_update(request: OrgRequest, slug: str, finding_id: uuid.UUID,
                   payload: SecurityFindingPatch):
    """Triage: open, fixed or false_positive (with `status_reason`), and the owner."""
    ctx = request.ctx
    services.finding_update(ctx=ctx, finding_id=finding_id, **payload.changes())
    return selectors.finding_get(ctx=ctx, finding_id=finding_id)


@router.post("/{slug}/findings/{finding_id}/accept", response=SecurityFindingOut,
             perm=services.PERM)
def finding_accept(request: OrgRequest, slug: str, finding_id: uuid.UUID,
                   payload: SecurityFindingAcceptIn):
    """Ask for an open finding to be accepted until `expires_on`, with a justification; an
    owner or admin other than you approves it."""
    ctx = request.ctx
    services.finding_accept_request(ctx=ctx, finding_id=finding_id, version=payload.version,
                                    justification=payload.justification,
                                    expires_on=payload.expires_on)
    return selectors.finding_get(ctx=ctx, finding_id=finding_id)


@router.post("/{slug}/findings/{finding_id}/approve", response=SecurityFindingOut,
             perm=services.APPROVE_PERM)
def finding_approve(request: OrgRequest, slug: str, finding_id: uuid.UUID,
                    payload: SecurityFindingApproveIn):
    """Approve the acceptance asked for (owners and admins; never the one who asked)."""
    ctx = request.ctx
    services.finding_accept_approve(ctx=ctx, finding_id=finding_id, version=payload.version,
                                    comment=payload.comment)
    return selectors.finding_get(ctx=ctx, finding_id=finding_id)


@router.post("/{slug}/findings/{finding_id}/return", response=SecurityFindingOut,
             perm=services.APPROVE_PERM)
def finding_return(request: OrgRequest, slug: str, finding_id: uuid.UUID,
                   payload: SecurityFindingReturnIn):
    """Refuse the acceptance asked for, saying why: the finding is open again."""
    ctx = request.ctx
    services.finding_accept_return(ctx=ctx, finding_id=finding_id, version=payload.version,
                                   comment=payload.comment)
    return selectors.finding_get(ctx=ctx, finding_id=finding_id)


@router.post("/{slug}/findings/{finding_id}/risk", response={201: SecurityFindingRaisedOut},
             perm="risks.change")
def finding_raise_risk(request: OrgRequest, slug: str, finding_id: uuid.UUID,
                       payload: SecurityFindingRiskIn):
    """Add a risk to the register from the finding (security, on its AI system, tagged with
    its OWASP LLM entry) and link them; fields sent override the finding's suggestion."""
    risk = services.finding_raise_risk(ctx=request.ctx, finding_id=finding_id,
                                       data=payload.dict())
    return Status(201, risk)


@router.post("/{slug}/findings/{finding_id}/nonconformity",
             response={201: SecurityFindingRaisedOut},
             perm="improvement.raise")
def finding_raise_nonconformity(request: OrgRequest, slug: str, finding_id: uuid.UUID,
                                payload: SecurityFindingNcIn):
    """Raise a nonconformity from the finding; each then shows the other."""
    nc = services.finding_raise_nonconformity(ctx=request.ctx, finding_id=finding_id,
                                              data=payload.dict())
    return Status(201, nc)


@router.get("/{slug}/findings-scans", response=list[SecurityScanOut])
@paginate(BoundedPagination)
def scan_list(request: OrgRequest, slug: str, ai_system: uuid.UUID | None = None):
    """The scanner reports brought in, newest first, with what each changed."""
    return selectors.scan_list(ctx=request.ctx, system_id=ai_system)
