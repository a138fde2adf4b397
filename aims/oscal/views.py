"""OSCAL in the web UI: a download per model, a profile brought in after a dry run, and a
catalog brought in (after a dry run) as a framework of the organisation's own."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from aims.core.errors import Conflict, ValidationError
from aims.core.responses import file_response
from aims.core.uploads import accepts_upload
from aims.orgs.decorators import org_view
from aims.oscal import catalog_import, exports, packing, services
from aims.oscal.forms import (
    CatalogConfirmForm,
    CatalogUploadForm,
    ProfileConfirmForm,
    ProfileUploadForm,
)


def _models() -> list[dict[str, str]]:
    return [{"model": m, "root": exports.ROOT[m], "description": exports.DESCRIPTIONS[m]}
            for m in exports.MODELS]


@org_view
def index(request):
    return render(request, "oscal/index.html", {
        "models": _models(), "form": ProfileUploadForm()})


@org_view
def download(request, model):
    return file_response(*exports.oscal_export(ctx=request.ctx, model=model))


@org_view
@accepts_upload
def profile_import_view(request):
    """GET: the upload form. POST a file: the dry run's report. POST the checked document
    back (`confirm`): the import."""
    ctx = request.ctx
    ctx.require(services.PERM)
    form: ProfileUploadForm | ProfileConfirmForm = ProfileUploadForm()
    report, document, errors, status = None, "", [], 200
    if request.method == "POST":
        confirming = "document" in request.POST
        form = (ProfileConfirmForm(request.POST) if confirming
                else ProfileUploadForm(request.POST, request.FILES))
        status = 422
        if form.is_valid():
            content = (form.cleaned_data["document"].encode("utf-8") if confirming
                       else form.cleaned_data["file"].read())
            try:
                report = services.profile_import(ctx=ctx, content=content,
                                                 dry_run=not confirming)
            except ValidationError as exc:
                errors = [m for msgs in exc.errors.values() for m in msgs]
            else:
                if report.applied:
                    n = len(report.changes)
                    messages.success(request, f"Imported the profile: {n} decision"
                                              f"{'s' if n != 1 else ''} changed.")
                    return redirect("compliance:soa", ctx.org.slug)
                status = 200
                document = content.decode("utf-8-sig")
        elif confirming:
            errors = ["The checked profile did not come back: upload the file again."]
        if confirming:
            form = ProfileUploadForm()  # after a refused confirmation, start again from a file
    confirm = (ProfileConfirmForm(initial={"document": document})
               if report is not None and not report.problems else None)
    return render(request, "oscal/import_profile.html", {
        "form": form, "report": report, "confirm": confirm, "errors": errors}, status=status)


@org_view
def own_catalog(request, catalog):
    """One of the organisation's own frameworks as an OSCAL catalog file."""
    return file_response(*exports.own_catalog_export(ctx=request.ctx, code=catalog))


@org_view
@accepts_upload
def catalog_import_view(request):
    """GET: the upload form. POST a catalog (and a profile): the dry run's report. POST the
    checked documents back (`document`): the import."""
    ctx = request.ctx
    ctx.require(catalog_import.PERM)
    form: CatalogUploadForm | CatalogConfirmForm = CatalogUploadForm()
    report, errors, status = None, [], 200
    packed: dict[str, str] = {}
    if request.method == "POST":
        confirming = "document" in request.POST
        form = (CatalogConfirmForm(request.POST) if confirming
                else CatalogUploadForm(request.POST, request.FILES))
        status = 422
        if form.is_valid():
            try:
                if confirming:
                    content = packing.unpack(form.cleaned_data["document"])
                    profile = (packing.unpack(form.cleaned_data["profile_document"],
                                              field="profile")
                               if form.cleaned_data["profile_document"] else None)
                else:
                    content = form.cleaned_data["file"].read()
                    upload = form.cleaned_data["profile"]
                    profile = upload.read() if upload else None
                report = catalog_import.catalog_import(ctx=ctx, content=content,
                                                       profile=profile, dry_run=not confirming)
            except ValidationError as exc:
                errors = [m for msgs in exc.errors.values() for m in msgs]
            except Conflict as exc:
                errors, status = [exc.message], exc.status
            else:
                if report.applied:
                    messages.success(request, _done_message(report))
                    return redirect("frameworks:own", ctx.org.slug, report.code)
                status = 200
                packed = {"document": packing.pack(content),
                          "profile_document": packing.pack(profile) if profile else ""}
        elif confirming:
            errors = ["The checked catalog did not come back: upload the file again."]
        if confirming:
            form = CatalogUploadForm()  # after a refused confirmation, start again from a file
    confirm = (CatalogConfirmForm(initial=packed)
               if report is not None and not report.problems else None)
    return render(request, "oscal/import_catalog.html", {
        "form": form, "report": report, "confirm": confirm, "errors": errors}, status=status)


def _done_message(report: catalog_import.CatalogReport) -> str:
    n = len(report.controls)
    what = "Updated" if report.updating else "Imported"
    text = f"{what} {report.title} (version {report.version}): {n} control{'s' if n != 1 else ''}"
    if report.updating:
        text += (f", {report.count('new')} new, {report.count('changed')} changed, "
                 f"{len(report.retired)} retired")
    return text + "."
