"""The web pages of security findings: the register, a finding with its triage, and the upload
of a scanner's report for an AI system."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aims.core.errors import ValidationError
from aims.core.paging import paginate
from aims.core.uploads import accepts_upload
from aims.core.views import list_filters, submit
from aims.findings import sarif, selectors, services
from aims.findings.forms import (
    AcceptApproveForm,
    AcceptRequestForm,
    AcceptReturnForm,
    FindingFilterForm,
    ScanUploadForm,
    TriageForm,
)
from aims.findings.models import FindingStatus
from aims.inventory.selectors import ai_system_choices, ai_system_get
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices
from aims.records import approval

SCANS_SHOWN = 10


@org_view
def finding_list(request):
    """The register of security findings, most severe first, with its filters."""
    ctx = request.ctx
    form = FindingFilterForm(request.GET or None, systems=ai_system_choices(ctx=ctx),
                             tools=selectors.tool_choices(ctx=ctx))
    filters, filtered = list_filters(form, selectors.FindingFilters)
    qs = selectors.finding_list(ctx=ctx, filters=filters)
    return render(request, "findings/list.html", {
        "filter_form": form, "filtered": filtered, **paginate(request, qs)})


def _forms(ctx, finding, **bound) -> dict:
    """The forms of a finding's page, with the one that was posted (`bound`) in its place."""
    initial = {"version": finding.version}
    forms = {
        "triage_form": TriageForm(initial={
            **initial, "status": finding.status, "status_reason": finding.status_reason,
            "owner": str(finding.owner_id or "")}, owner_choices=member_choices(ctx=ctx),
            current=finding.status),
        "accept_form": AcceptRequestForm(initial=initial),
        "approve_form": AcceptApproveForm(initial=initial),
        "return_form": AcceptReturnForm(initial=initial),
    }
    return {**forms, **bound}


def _detail(request, finding_id, status: int = 200, **bound):
    ctx = request.ctx
    finding = selectors.finding_get(ctx=ctx, finding_id=finding_id)
    return render(request, "findings/detail.html", {
        "finding": finding, "owasp_why": sarif.owasp_reasons().get(finding.owasp_llm, ""),
        "barred": approval.barred(ctx, finding, FindingStatus.ACCEPTANCE_REQUESTED),
        **_forms(ctx, finding, **bound)}, status=status)


@org_view
def finding_detail(request, finding_id):
    return _detail(request, finding_id)


def _back(ctx, finding_id):
    return redirect(reverse("findings:detail", args=[ctx.org.slug, finding_id]))


@require_POST
@org_view
def finding_triage(request, finding_id):
    ctx = request.ctx
    ctx.require(services.PERM)
    finding = selectors.finding_get(ctx=ctx, finding_id=finding_id)
    form = TriageForm(request.POST, owner_choices=member_choices(ctx=ctx),
                      current=finding.status)
    done = submit(request, form, lambda: services.finding_update(
        ctx=ctx, finding_id=finding_id, version=form.cleaned_data["version"],
        data={"status": form.cleaned_data["status"],
              "status_reason": form.cleaned_data["status_reason"],
              "owner": form.cleaned_data["owner"] or None}))
    if done.ok:
        messages.success(request, f"{done.result.ref} is now "
                                  f"{done.result.get_status_display().lower()}.")
        return _back(ctx, finding_id)
    return _detail(request, finding_id, status=done.status, triage_form=form)


@require_POST
@org_view
def finding_accept(request, finding_id):
    ctx = request.ctx
    ctx.require(services.PERM)
    form = AcceptRequestForm(request.POST)
    done = submit(request, form, lambda: services.finding_accept_request(
        ctx=ctx, finding_id=finding_id, version=form.cleaned_data["version"],
        justification=form.cleaned_data["justification"],
        expires_on=form.cleaned_data["expires_on"]))
    if done.ok:
        messages.success(request, f"Acceptance of {done.result.ref} asked for: an owner or "
                                  "admin other than you approves it.")
        return _back(ctx, finding_id)
    return _detail(request, finding_id, status=done.status, accept_form=form)


@require_POST
@org_view
def finding_approve(request, finding_id):
    ctx = request.ctx
    ctx.require(services.APPROVE_PERM)
    form = AcceptApproveForm(request.POST)
    done = submit(request, form, lambda: services.finding_accept_approve(
        ctx=ctx, finding_id=finding_id, version=form.cleaned_data["version"],
        comment=form.cleaned_data["comment"]))
    if done.ok:
        messages.success(request, f"{done.result.ref} is accepted until "
                                  f"{done.result.expires_on:%Y-%m-%d}.")
        return _back(ctx, finding_id)
    return _detail(request, finding_id, status=done.status, approve_form=form)


@require_POST
@org_view
def finding_return(request, finding_id):
    ctx = request.ctx
    ctx.require(services.APPROVE_PERM)
    form = AcceptReturnForm(request.POST)
    done = submit(request, form, lambda: services.finding_accept_return(
        ctx=ctx, finding_id=finding_id, version=form.cleaned_data["version"],
        comment=form.cleaned_data["comment"]))
    if done.ok:
        messages.success(request, f"The acceptance of {done.result.ref} was refused; it is "
                                  "open again.")
        return _back(ctx, finding_id)
    return _detail(request, finding_id, status=done.status, return_form=form)


@require_POST
@org_view
def finding_raise_risk(request, finding_id):
    ctx = request.ctx
    ctx.require("risks.change")
    risk = services.finding_raise_risk(ctx=ctx, finding_id=finding_id)
    messages.success(request, f"Raised {risk.ref} from the finding: rate it in the register.")
    return redirect(reverse("risks:detail", args=[ctx.org.slug, risk.pk]))


@require_POST
@org_view
def finding_raise_nonconformity(request, finding_id):
    ctx = request.ctx
    ctx.require("improvement.raise")
    nc = services.finding_raise_nonconformity(ctx=ctx, finding_id=finding_id)
    messages.success(request, f"Raised {nc.ref} from the finding.")
    return redirect(reverse("improvement:nc_detail", args=[ctx.org.slug, nc.pk]))


@accepts_upload
@org_view
def scan_import(request, system_id):
    """Upload a scanner's SARIF report for an AI system (its Findings tab links here)."""
    ctx = request.ctx
    ctx.require(services.PERM)
    system = ai_system_get(ctx=ctx, system_id=system_id)
    form = ScanUploadForm(request.POST or None, request.FILES or None)

    def run():
        upload = form.cleaned_data["file"]
        if upload.size > sarif.MAX_BYTES:
            raise ValidationError({"file": [sarif.too_large(upload.size)]})
        return services.scan_import(ctx=ctx, system_id=system.pk, content=upload.read(),
                                    file_name=upload.name or "")

    done = submit(request, form, run)
    if done.ok:
        scan = done.result
        messages.success(request, f"{scan.ref}: {scan.results} result(s) read — {scan.new} new, "
                                  f"{scan.reopened} reopened, {scan.fixed} marked fixed.")
        return redirect(reverse("inventory:detail", args=[ctx.org.slug, system.pk])
                        + "?tab=findings")
    return render(request, "findings/import.html", {
        "form": form, "system": system,
        "scans": list(selectors.scan_list(ctx=ctx, system_id=system.pk)[:SCANS_SHOWN])},
        status=done.status)
