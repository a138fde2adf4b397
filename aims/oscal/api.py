"""OSCAL over the API: each model of the AIMS as OSCAL JSON, and a profile brought in."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpResponse
from ninja import File, Form
from ninja.files import UploadedFile

from aims.core.uploads import accepts_upload
from aims.orgs.api import OrgRequest, OrgRouter
from aims.oscal import catalog_import, exports, services
from aims.oscal.schemas import (
    OscalCatalogImportIn,
    OscalCatalogImportOut,
    OscalProfileImportIn,
    OscalProfileImportOut,
)

router = OrgRouter()

Model = Literal["catalog", "profile", "ssp", "assessment-plan", "assessment-results", "poam"]


@router.post("/{slug}/oscal/catalog", response=OscalCatalogImportOut, perm=catalog_import.PERM)
@accepts_upload
def catalog_import_op(request: OrgRequest, slug: str, payload: Form[OscalCatalogImportIn],
                      file: File[UploadedFile], profile: File[UploadedFile | None] = None):
    """Bring an OSCAL 1.1.x catalog in as a framework of the organisation's own
    (multipart/form-data with a `file` part, and optionally a `profile` part selecting some of
    its controls): its groups become sections, its controls requirements each with a compliance
    item to decide and evidence. Seen by this organisation only. A catalog with the same title
    (or UUID) as one brought in before updates it: new controls are added, missing ones
    retired, decisions and evidence kept. All or nothing; `dry_run=true` reports what would be
    created, changed and retired, and each problem by control id, and writes nothing."""
    report = catalog_import.catalog_import(
        ctx=request.ctx, content=file.read(), profile=profile.read() if profile else None,
        dry_run=payload.dry_run)
    return report.as_dict()


@router.get("/{slug}/oscal/own/{catalog}", response={200: dict[str, Any]})
def own_catalog_get(request: OrgRequest, slug: str, catalog: str, download: bool = False):
    """One of the organisation's own frameworks (brought in from an OSCAL catalog) as an
    OSCAL catalog again: current groups and controls with their ids, titles, labels and
    text."""
    content, content_type, filename = exports.own_catalog_export(ctx=request.ctx, code=catalog)
    response = HttpResponse(content, content_type=content_type)
    if download:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
