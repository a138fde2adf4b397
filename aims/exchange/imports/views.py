"""Imports in the web UI: upload → preview (the dry run's diff) → confirm → result."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from aims.core.errors import Conflict, NotFound
from aims.core.uploads import accepts_upload
from aims.exchange.imports import services
from aims.exchange.imports.engine import ImportRejected
from aims.exchange.imports.exports import register_export
from aims.exchange.imports.forms import UploadForm
from aims.exchange.imports.kinds import KINDS
from aims.exchange.models import ImportState
from aims.jobs.selectors import job_get
from aims.orgs.decorators import org_view

PAGE_ROWS = 500  # diff rows shown on the page; the counts are always whole


def _allowed(ctx) -> list[str]:
    return [k.key for k in KINDS.values() if ctx.can(k.perm)]


@accepts_upload
@org_view
def index(request):
    """Choose the register, upload the file; the recent imports and each register's file."""
    ctx = request.ctx
    allowed = _allowed(ctx)
    initial = request.GET.get("kind") if request.GET.get("kind") in allowed else None
    form = UploadForm(request.POST or None, request.FILES or None, kinds=allowed,
                      initial={"kind": initial} if initial else None)
    status = 200
    if request.method == "POST":
        if not allowed:
            ctx.require("inventory.change")  # a 403 naming what the role lacks
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["file"]
            run = services.import_preview(ctx=ctx, kind=form.cleaned_data["kind"],
                                          data=upload.read(), file_name=upload.name or "")
            return redirect("imports:detail", ctx.org.slug, run.pk)
    runs = services.import_run_list(ctx=ctx)
    for run in runs:  # the register by its name, not its key ("parties")
        run.kind_label = KINDS[run.kind].label if run.kind in KINDS else run.kind
    return render(request, "exchange/imports/index.html", {
        "form": form, "kinds": list(KINDS.values()), "allowed": allowed,
        "runs": runs, "threshold": services.background_rows(),
    }, status=status)


def _job(ctx, run):
    if not run.job_id:
        return None
    try:
        return job_get(ctx=ctx, job_id=run.job_id)
    except NotFound:
        return None


SHOW = {"create": "New", "change": "Changed"}


def _context(ctx, run, show: str = "") -> dict:
    report = run.report or {}
    outcomes = report.get("outcomes", [])
    if show in SHOW:
        outcomes = [o for o in outcomes if o["action"] == show]
    return {"run": run, "kind": KINDS.get(run.kind), "report": report,
            "outcomes": outcomes[:PAGE_ROWS], "more": max(0, len(outcomes) - PAGE_ROWS),
            "problems": report.get("problems", []), "job": _job(ctx, run),
            "working": run.state in (ImportState.CHECKING, ImportState.IMPORTING),
            "expired": bool(run.expires_at and run.expires_at < timezone.now()),
            "mine": run.created_by_id == (ctx.user.pk if ctx.user else None),
            "show": show if show in SHOW else "", "show_choices": SHOW}


@org_view
def detail(request, run_id):
    """One import: its preview with the Confirm button, its progress, or its result."""
    ctx = request.ctx
    try:
        run = services.import_run_get(ctx=ctx, run_id=run_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "exchange/imports/detail.html",
                  _context(ctx, run, request.GET.get("show", "")))


@org_view
def status(request, run_id):
    """The progress block (htmx polls it); once the worker is done, the page reloads."""
    ctx = request.ctx
    try:
        run = services.import_run_get(ctx=ctx, run_id=run_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    c = _context(ctx, run)
    response = render(request, "exchange/imports/_progress.html", c)
    if not c["working"] or (c["job"] is not None and c["job"].finished):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@org_view
def confirm(request, run_id):
    """Import the previewed file (the preview page's Confirm button posts here)."""
    ctx = request.ctx
    try:
        run = services.import_confirm(ctx=ctx, run_id=run_id)
    except ImportRejected as exc:
        messages.error(request, exc.message)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        if run.state == ImportState.IMPORTED:
            messages.success(request, f"Imported {run.file_name}: {run.created_count} new, "
                                      f"{run.changed_count} changed, {run.unchanged_count} "
                                      "unchanged.")
    return redirect("imports:detail", ctx.org.slug, run_id)


@org_view
def register_file(request, register, fmt):
    """A register as CSV or XLSX, in the columns its import takes."""
    content, content_type, name = register_export(ctx=request.ctx, kind=register, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
