"""OSCAL over the API: each model of the AIMS as OSCAL JSON, and a profile brought in."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpResponse
from ninja import File, Form
from ninja.files import UploadedFile

from aims.core.uploads import accepts_upload
from aims.orgs.api import OrgRequest, OrgRouter
from aims.oscal import exports, services
from aims.oscal.schemas import OscalProfileImportIn, OscalProfileImportOut

router = OrgRouter()

Model = Literal["catalog", "profile", "ssp", "assessment-plan", "assessment-results", "poam"]


@router.get("/{slug}/oscal/{model}", response={200: dict[str, Any]})
def oscal_get(request: OrgRequest, slug: str, model: Model, download: bool = False):
    """The organisation's AIMS as an OSCAL 1.1.3 JSON document: `catalog` (ISO/IEC 42001),
    `profile` (the SoA), `ssp` (AI systems and implemented requirements), `assessment-plan`
    and `assessment-results` (internal audits), `poam` (open nonconformities and treatment
    actions). UUIDs are stable across exports. `download=true` sends it as a file."""
    content, content_type, filename = exports.oscal_export(ctx=request.ctx, model=model)
    response = HttpResponse(content, content_type=content_type)
    if download:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.post("/{slug}/oscal/profile/import", response=OscalProfileImportOut, perm=services.PERM)
@accepts_upload
def profile_import(request: OrgRequest, slug: str, payload: Form[OscalProfileImportIn],
                   file: File[UploadedFile]):
    """Set SoA decisions from an OSCAL profile (multipart/form-data with a `file` part): the
    controls it includes become applicable, those it excludes excluded, with aims' inclusion
    reason and justification props. All or nothing; `dry_run=true` reports what would change
    and writes nothing."""
    report = services.profile_import(ctx=request.ctx, content=file.read(),
                                     dry_run=payload.dry_run)
    return report.as_dict()
