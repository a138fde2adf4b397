"""The API's door to imports: one upload route per register (each behind that register's
change permission), the state of a kept import, and each register as a file."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpResponse
from ninja import File, Form, Schema
from ninja.files import UploadedFile

from aims.core.uploads import accepts_upload
from aims.exchange.imports import services
from aims.exchange.imports.engine import ImportRejected
from aims.exchange.imports.exports import register_export
from aims.exchange.imports.kinds import KINDS
from aims.exchange.imports.kinds_base import ImportKind
from aims.exchange.imports.reading import MAX_BYTES
from aims.orgs.api import OrgRequest, OrgRouter

router = OrgRouter()


class ImportIn(Schema):
    dry_run: bool = False
    digest: str = ""


class ImportRunOut(Schema):
    id: str
    kind: str
    file_name: str
    sha256: str
    state: str
    rows: int
    created: int
    changed: int
    unchanged: int
    refused: int
    digest: str
    job_id: str | None
    error: str
    report: dict[str, Any]


def run_out(run) -> dict[str, Any]:
    return {"id": str(run.pk), "kind": run.kind, "file_name": run.file_name,
            "sha256": run.sha256, "state": run.state, "rows": run.rows,
            "created": run.created_count, "changed": run.changed_count,
            "unchanged": run.unchanged_count, "refused": run.refused_count,
            "digest": run.digest, "job_id": str(run.job_id) if run.job_id else None,
            "error": run.error, "report": run.report}


def _rejected(exc: ImportRejected) -> dict[str, Any]:
    return {"detail": exc.message, "errors": exc.errors,
            "problems": [p.as_dict() for p in exc.report.problems],
            "report": exc.report.as_dict()}


def _add_import_route(kind: ImportKind) -> None:
    doc = (
        f"{kind.help} Send multipart/form-data with the file (CSV UTF-8 or XLSX, the columns "
        "of the register's export) in `file`. `dry_run=true` returns the diff (created, "
        "changed field by field, unchanged, refused) and writes nothing; without it every "
        "row is imported or none (422 names each refused row, column and rule). Pass the dry "
        "run's `digest` to import only if the diff is still the one previewed (409 "
        f"otherwise). Files of more than {services.background_rows()} rows are handed to a "
        "worker: 202 with the import's id, to follow at GET /imports/runs/{run_id}.")

    @router.post(f"/{{slug}}/imports/{kind.key}",
                 response={200: dict[str, Any], 202: ImportRunOut, 422: dict[str, Any]},
                 perm=kind.perm, operation_id=f"import_{kind.key}",
                 summary=f"Import {kind.label.lower()} from CSV or XLSX", description=doc)
    @accepts_upload
    def import_kind(request: OrgRequest, slug: str, payload: Form[ImportIn],
                    file: File[UploadedFile]):
        if file.size and file.size > MAX_BYTES:
            return 422, {"detail": "The file is too large.", "errors": {"file": [
                f"At most {MAX_BYTES // (1024 * 1024)} MB can be imported at once."]},
                "problems": [], "report": {}}
        data = file.read()
        ctx = request.ctx
        if services.needs_worker(data, file.name or ""):
            run = services.import_queue(ctx=ctx, kind=kind.key, data=data,
                                        file_name=file.name or "upload", dry_run=payload.dry_run)
            return 202, run_out(run)
        try:
            report = services.import_direct(ctx=ctx, kind=kind.key, data=data,
                                            file_name=file.name or "upload",
                                            dry_run=payload.dry_run,
                                            expected_digest=payload.digest.strip())
        except ImportRejected as exc:
            return 422, _rejected(exc)
        return 200, report.as_dict()


for _kind in KINDS.values():
    _add_import_route(_kind)


@router.get("/{slug}/imports/runs/{run_id}", response=ImportRunOut, perm="org.view")
def import_run_detail(request: OrgRequest, slug: str, run_id: str):
    """One import: its state (checking, previewed, importing, imported, refused), counts and
    report; the report lists the created and changed rows."""
    return run_out(services.import_run_get(ctx=request.ctx, run_id=run_id))


@router.get("/{slug}/registers/{register_key}", response={200: None}, perm="org.view")
def register_file(request: OrgRequest, slug: str, register_key: str,
                  format: Literal["csv", "xlsx"] = "csv"):
    """A register as CSV or XLSX, in the columns its import takes (register_key: soa, inventory,
    parties, issues, suppliers, training)."""
    content, content_type, name = register_export(ctx=request.ctx, kind=register_key, fmt=format)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
