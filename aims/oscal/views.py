"""OSCAL in the web UI: a download per model, and a profile brought in after a dry run."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from aims.core.errors import ValidationError
from aims.core.responses import file_response
from aims.core.uploads import accepts_upload
from aims.orgs.decorators import org_view
from aims.oscal import exports, services
from aims.oscal.forms import ProfileConfirmForm, ProfileUploadForm


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
