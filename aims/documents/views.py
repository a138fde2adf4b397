from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aims.catalog.selectors import iso_requirement_choices
from aims.core.paging import paginate
from aims.core.responses import file_response, stream_response
from aims.core.uploads import accepts_upload
from aims.core.views import DeletePage, list_filters, submit
from aims.documents import selectors, services
from aims.documents.forms import (
    ApproveForm,
    DocumentCreateForm,
    DocumentFilterForm,
    DocumentForm,
    InForceForm,
    NewVersionForm,
    ReturnForm,
    SubmitForm,
    VersionForm,
)
from aims.documents.models import OPEN_STATUSES, VersionStatus
from aims.documents.pdf import version_pdf
from aims.documents.rendering import render_markdown
from aims.documents.starters import BY_KEY, STARTERS
from aims.evidence.storage import blob_open
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices
from aims.records import approval


def _detail_url(ctx, document_id) -> str:
    return reverse("documents:detail", args=[ctx.org.slug, document_id])


def _version_url(ctx, version) -> str:
    return reverse("documents:version", args=[ctx.org.slug, version.document_id, version.pk])


# ---------------------------------------------------------------- documents


@org_view
def document_list(request):
    ctx = request.ctx
    form = DocumentFilterForm(request.GET or None)
    filters, filtered = list_filters(form, selectors.DocumentFilters)
    qs = selectors.document_list(ctx=ctx, filters=filters)
    return render(request, "documents/list.html", {
        "filter_form": form, "filtered": filtered,
        "today": timezone.localdate(), **paginate(request, qs)})


def _decision_forms(version, forms: dict | None = None) -> dict:
    forms = forms or {}
    initial = {"version": version.version} if version is not None else {}
    return {
        "submit_form": forms.get("submit") or SubmitForm(initial=initial),
        "approve_form": forms.get("approve") or ApproveForm(
            initial={**initial, "approved_on": timezone.localdate()}),
        "return_form": forms.get("return") or ReturnForm(initial=initial),
    }


@org_view
def document_detail(request, document_id):
    ctx = request.ctx
    document = selectors.document_get(ctx=ctx, document_id=document_id)
    versions = list(selectors.version_list(ctx=ctx, document_id=document.pk))
    today = timezone.localdate()
    on_form = InForceForm(request.GET if "on" in request.GET else None,
                          initial={"on": today})
    day = on_form.cleaned_data["on"] if on_form.is_bound and on_form.is_valid() else today
    shown = selectors.in_force_among(versions, day)
    open_version = next((v for v in versions if v.status in OPEN_STATUSES), None)
    return render(request, "documents/detail.html", {
        "document": document, "versions": versions, "shown": shown, "day": day,
        "asked_day": day != today, "on_form": on_form, "today": today,
        "body": render_markdown(shown.content) if shown and not shown.is_file else "",
        "open": open_version,
        "may_not_approve": approval.barred(ctx, open_version, VersionStatus.IN_REVIEW),
        "requirements": list(document.requirements.all()),
        "ever_approved": any(v.approved_on for v in versions),
        "new_version_form": NewVersionForm(),
        **_decision_forms(open_version)})


@accepts_upload
@org_view
def document_create(request):
    ctx = request.ctx
    ctx.require("documents.change")
    initial = {"review_interval_months": 12}
    if (wanted := request.GET.get("template", "")) in BY_KEY:
        initial["template"] = wanted
    form = DocumentCreateForm(request.POST or None, initial=initial,
                              owner_choices=member_choices(ctx=ctx),
                              requirement_choices=iso_requirement_choices())
    done = submit(request, form,
                  lambda: services.document_create(ctx=ctx, data=form.service_data()))
    if done.ok:
        document = done.result
        messages.success(request, f"Added {document}. Version 1 is a draft: write it, then "
                                  "submit it for review.")
        draft = selectors.version_list(ctx=ctx, document_id=document.pk).first()
        return redirect(reverse("documents:version_edit",
                                args=[ctx.org.slug, document.pk, draft.pk]))
    return render(request, "documents/create.html", {"form": form, "starters": STARTERS},
                  status=done.status)


@org_view
def document_edit(request, document_id):
    ctx = request.ctx
    ctx.require("documents.change")
    document = selectors.document_get(ctx=ctx, document_id=document_id)
    form = DocumentForm(request.POST or None, initial=DocumentForm.initial_for(document),
                        owner_choices=member_choices(ctx=ctx),
                        requirement_choices=iso_requirement_choices())
    done = submit(request, form, lambda: services.document_update(
        ctx=ctx, document_id=document.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved {done.result}.")
        return redirect(_detail_url(ctx, document.pk))
    return render(request, "documents/edit.html", {"form": form, "document": document},
                  status=done.status)


document_delete = org_view(DeletePage(
    perm="documents.change", get=selectors.document_get, delete=services.document_delete,
    kind="document", back="documents:list", back_label="Documents",
    done="Deleted {name} and its drafts. Their last values are kept in the activity log.",
    hint="Only documents that were never approved can be deleted.").view)


@org_view
def version_diff(request, document_id):
    ctx = request.ctx
    document = selectors.document_get(ctx=ctx, document_id=document_id)
    diff = selectors.version_diff(ctx=ctx, document=document, old=request.GET.get("old"),
                                  new=request.GET.get("new"))
    return render(request, "documents/diff.html",
                  {"document": document, "diff": diff, "numbers": diff.numbers})


# ---------------------------------------------------------------- versions


def _version_page(request, version, *, forms: dict | None = None, status: int = 200):
    ctx = request.ctx
    return render(request, "documents/version.html", {
        "document": version.document, "v": version,
        "body": render_markdown(version.content) if not version.is_file else "",
        "may_not_approve": approval.barred(ctx, version, VersionStatus.IN_REVIEW),
        "today": timezone.localdate(), **_decision_forms(version, forms)}, status=status)


@org_view
def version_detail(request, document_id, version_id):
    version = selectors.version_get(ctx=request.ctx, document_id=document_id,
                                    version_id=version_id)
    return _version_page(request, version)


@accepts_upload
@org_view
def version_create(request, document_id):
    ctx = request.ctx
    ctx.require("documents.change")
    document = selectors.document_get(ctx=ctx, document_id=document_id)
    # Every field is optional: an empty POST is still a submission.
    form = NewVersionForm(request.POST if request.method == "POST" else None)
    done = submit(request, form, lambda: services.document_version_create(
        ctx=ctx, document_id=document.pk, data=form.cleaned_data))
    if done.ok:
        v = done.result
        messages.success(request, f"Started version {v.number} of {document} as a draft, "
                                  "copied from the version in force. The version in force "
                                  "stays in force until this one is approved.")
        return redirect(reverse("documents:version_edit", args=[ctx.org.slug, document.pk, v.pk]))
    return render(request, "documents/version_create.html",
                  {"form": form, "document": document}, status=done.status)


@accepts_upload
@org_view
def version_edit(request, document_id, version_id):
    ctx = request.ctx
    ctx.require("documents.change")
    version = selectors.version_get(ctx=ctx, document_id=document_id, version_id=version_id)
    if not version.is_editable:
        messages.info(request, f"{version} is {version.get_status_display().lower()} and can no "
                               "longer be edited; start a new version to change the document.")
        return redirect(_version_url(ctx, version))
    form = VersionForm(request.POST or None, request.FILES or None,
                       initial=VersionForm.initial_for(version), has_file=version.is_file)
    done = submit(request, form, lambda: services.document_version_update(
        ctx=ctx, document_id=document_id, version_id=version.pk, data=form.service_data(),
        version=form.cleaned_data["version"], upload=form.cleaned_data.get("file")))
    if done.ok:
        messages.success(request, f"Saved {version}.")
        return redirect(_version_url(ctx, version))
    return render(request, "documents/version_edit.html", {
        "form": form, "document": version.document, "v": version,
        "submit_form": SubmitForm(initial={"version": version.version})}, status=done.status)


@require_POST
@org_view
def version_submit(request, document_id, version_id):
    ctx = request.ctx
    ctx.require("documents.change")
    version = selectors.version_get(ctx=ctx, document_id=document_id, version_id=version_id)
    form = SubmitForm(request.POST)
    done = submit(request, form, lambda: services.document_version_submit(
        ctx=ctx, document_id=document_id, version_id=version.pk,
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Submitted {version} for review. An owner or admin who did "
                                  "not write it approves it or sends it back.")
        return redirect(_version_url(ctx, version))
    return _version_page(request, version, forms={"submit": form}, status=done.status)


@require_POST
@org_view
def version_approve(request, document_id, version_id):
    ctx = request.ctx
    ctx.require("documents.approve")
    version = selectors.version_get(ctx=ctx, document_id=document_id, version_id=version_id)
    form = ApproveForm(request.POST)
    done = submit(request, form, lambda: services.document_version_approve(
        ctx=ctx, document_id=document_id, version_id=version.pk,
        version=form.cleaned_data["version"], comment=form.cleaned_data["comment"],
        approved_on=form.cleaned_data["approved_on"],
        effective_from=form.cleaned_data["effective_from"]))
    if done.ok:
        v = done.result
        messages.success(request, f"Approved {version}; it is in force from "
                                  f"{v.effective_from:%Y-%m-%d}.")
        return redirect(_detail_url(ctx, document_id))
    return _version_page(request, version, forms={"approve": form}, status=done.status)


@require_POST
@org_view
def version_return(request, document_id, version_id):
    ctx = request.ctx
    ctx.require("documents.approve")
    version = selectors.version_get(ctx=ctx, document_id=document_id, version_id=version_id)
    form = ReturnForm(request.POST)
    done = submit(request, form, lambda: services.document_version_return(
        ctx=ctx, document_id=document_id, version_id=version.pk,
        version=form.cleaned_data["version"], comment=form.cleaned_data["comment"]))
    if done.ok:
        messages.success(request, f"Sent {version} back to its author as a draft.")
        return redirect(_version_url(ctx, version))
    return _version_page(request, version, forms={"return": form}, status=done.status)


@org_view
def version_pdf_file(request, document_id, version_id):
    ctx = request.ctx
    version = selectors.version_get(ctx=ctx, document_id=document_id, version_id=version_id)
    document = selectors.document_get(ctx=ctx, document_id=document_id)
    return file_response(*version_pdf(ctx=ctx, document=document, version=version))


@org_view
def version_file(request, document_id, version_id):
    ctx = request.ctx
    version = selectors.version_get(ctx=ctx, document_id=document_id, version_id=version_id)
    if not version.is_file:
        raise Http404("This version is Markdown text, not a file.")
    return stream_response(blob_open(version.blob),
                           version.content_type or "application/octet-stream",
                           version.file_name)


@require_POST
@org_view
def markdown_preview(request):
    """What the Markdown typed in a draft will look like, rendered and sanitised exactly as a
    saved version is; nothing is saved. With htmx the body alone, else a page of its own."""
    ctx = request.ctx
    ctx.require("documents.change")
    body = render_markdown(request.POST.get("content", ""))
    template = "documents/_preview.html" if request.htmx else "documents/preview.html"
    return render(request, template, {"body": body})
