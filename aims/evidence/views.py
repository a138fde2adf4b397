"""Evidence pages: the register, adding, one item (with its links), verification."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from aims.core.errors import NotFound, ValidationError
from aims.core.paging import paginate
from aims.core.responses import stream_response
from aims.core.uploads import accepts_upload
from aims.core.views import DeletePage, submit
from aims.evidence import selectors, services
from aims.evidence.forms import (
    EvidenceEditForm,
    EvidenceFilterForm,
    EvidenceForm,
    RecordPicker,
)
from aims.evidence.storage import blob_open, safe_filename, too_large_message, upload_guard
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices
from aims.records.kinds import options, record_get


def safe_next(request, value: str | None) -> str | None:
    """`value` when it is a path on this site (never another host, scheme or `//host`)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return None
    return value


def _records(ctx, kind: str) -> list[tuple[str, str]]:
    """Choices for the record picker once a kind is chosen ([] for none or an unknown one)."""
    if not kind:
        return []
    try:
        return options(ctx=ctx, kind=kind)
    except ValidationError:
        return []


def _subject(ctx, kind: str, pk: str, *, field: str = "subject_id"):
    """The record a form names; a foreign, missing or malformed one is a field error."""
    try:
        return record_get(ctx=ctx, kind=kind, pk=pk, field=field)
    except NotFound:
        raise ValidationError({field: ["No such record of this kind in this organisation."]}) \
            from None


# --------------------------------------------------------------------------- the register


@org_view
def evidence_list(request):
    ctx = request.ctx
    kinds = selectors.record_kinds()
    form = EvidenceFilterForm(request.GET or None, owner_choices=member_choices(ctx=ctx),
                              kinds=kinds)
    filters = selectors.EvidenceFilters()
    if form.is_valid():
        filters = selectors.EvidenceFilters(**form.filter_values())
    qs = selectors.evidence_list(ctx=ctx, filters=filters)
    # The register's length and the expired/expiring counts of the banner in one query.
    stale, selected = selectors.evidence_counts(ctx=ctx, filters=filters)
    paged = paginate(request, qs, count=selected)
    paged["page"].object_list = selectors.with_linked(ctx=ctx, items=paged["page"].object_list)
    filtered = filters != selectors.EvidenceFilters(sort=filters.sort)
    return render(request, "evidence/list.html", {
        "filter_form": form, "filtered": filtered, "stale": stale,
        "may_verify": _may_verify(ctx), **paged})


# --------------------------------------------------------------------------- adding


@accepts_upload
@csrf_exempt  # the size check must run before the body is read; CSRF is checked right after
@org_view
def evidence_create(request):
    ctx = request.ctx
    ctx.require("evidence.change")
    refused = upload_guard(request) if request.method == "POST" else None
    return _create(request, refused)


@csrf_protect
def _create(request, refused: str | None):
    ctx = request.ctx
    source = request.POST if request.method == "POST" and not refused else request.GET
    kind = source.get("subject_kind", "")
    initial = {"kind": "file", "subject_kind": request.GET.get("subject_kind", ""),
               "subject_id": request.GET.get("subject_id", ""),
               "next": request.GET.get("next", "")}
    form = EvidenceForm(None if refused or request.method != "POST" else request.POST,
                        request.FILES if request.method == "POST" and not refused else None,
                        initial=initial, owner_choices=member_choices(ctx=ctx),
                        kinds=selectors.record_kinds(), records=_records(ctx, kind))
    subject = None
    if initial["subject_kind"] and initial["subject_id"]:
        subject = _prefilled(ctx, initial["subject_kind"], initial["subject_id"])
    if refused:
        return render(request, "evidence/form.html", {
            "form": form, "subject": subject, "refused": refused,
            "max_mb": settings.AIMS_EVIDENCE_MAX_MB}, status=422)
    too_large = getattr(request, "upload_too_large", None)

    def create():
        if too_large:
            raise ValidationError({"file": [too_large_message()]})
        d = form.cleaned_data
        links = [_subject(ctx, d["subject_kind"], d["subject_id"])] if d["subject_id"] else []
        if d["subject_kind"] and not d["subject_id"]:
            raise ValidationError({"subject_id": ["Choose the record, or no kind of record."]})
        upload = d["file"] if d["kind"] == "file" else None
        return services.evidence_create(ctx=ctx, data=form.service_data(), upload=upload,
                                        links=links)

    done = submit(request, form, create)
    if done.ok:
        messages.success(request, f"Added {done.result.ref} {done.result.title}.")
        target = safe_next(request, form.cleaned_data.get("next"))
        return redirect(target or reverse("evidence:detail", args=[ctx.org.slug, done.result.pk]))
    # A browser never keeps a chosen file when the form comes back with an error, and keeping
    # the upload on the server until the next try would leave orphan files: say so instead.
    chosen = request.FILES.get("file")
    return render(request, "evidence/form.html", {
        "form": form, "subject": subject, "max_mb": settings.AIMS_EVIDENCE_MAX_MB,
        "file_again": safe_filename(chosen.name) if chosen is not None else ""},
        status=done.status)


def _prefilled(ctx, kind: str, pk: str):
    """The record a link to this page named, for the heading; None when it is not one."""
    try:
        return record_get(ctx=ctx, kind=kind, pk=pk)
    except (NotFound, ValidationError):
        return None


@org_view
def record_options(request):
    """The record picker's choices for one kind (swapped in by htmx when the kind changes)."""
    ctx = request.ctx
    kind = request.GET.get("subject_kind", "")
    picker = RecordPicker(initial={"subject_kind": kind}, kinds=selectors.record_kinds(),
                          records=_records(ctx, kind), required=False)
    return render(request, "evidence/_record_select.html", {"field": picker["subject_id"]})


# --------------------------------------------------------------------------- one item


def _detail_context(ctx, evidence, link_form=None) -> dict:
    kind = link_form["subject_kind"].value() if link_form is not None else ""
    links = selectors.evidence_links(ctx=ctx, evidence=evidence)
    return {
        "evidence": evidence, "links": links, "reuse": selectors.evidence_reuse(links),
        "link_form": link_form or RecordPicker(kinds=selectors.record_kinds(), records=[]),
        "link_records": kind,
    }


@org_view
def evidence_detail(request, evidence_id):
    ctx = request.ctx
    evidence = selectors.evidence_get(ctx=ctx, evidence_id=evidence_id)
    return render(request, "evidence/detail.html", _detail_context(ctx, evidence))


@require_POST
@org_view
def link_add(request, evidence_id):
    ctx = request.ctx
    ctx.require("evidence.change")
    evidence = selectors.evidence_get(ctx=ctx, evidence_id=evidence_id)
    kind = request.POST.get("subject_kind", "")
    form = RecordPicker(request.POST, kinds=selectors.record_kinds(),
                        records=_records(ctx, kind))
    done = submit(request, form, lambda: services.evidence_link(
        ctx=ctx, evidence_id=evidence.pk, subject=_subject(
            ctx, form.cleaned_data["subject_kind"], form.cleaned_data["subject_id"])))
    if done.ok:
        messages.success(request, f"Linked {evidence.ref} to the record.")
        return redirect("evidence:detail", ctx.org.slug, evidence.pk)
    return render(request, "evidence/detail.html", _detail_context(ctx, evidence, form),
                  status=done.status)


@require_POST
@org_view
def link_remove(request, evidence_id):
    ctx = request.ctx
    ctx.require("evidence.change")
    evidence = selectors.evidence_get(ctx=ctx, evidence_id=evidence_id)
    subject = _subject(ctx, request.POST.get("subject_kind", ""), request.POST.get("subject_id", ""))
    services.evidence_unlink(ctx=ctx, evidence_id=evidence.pk, subject=subject)
    messages.success(request, f"{evidence.ref} no longer supports that record; the evidence stays.")
    return redirect("evidence:detail", ctx.org.slug, evidence.pk)


@org_view
def evidence_edit(request, evidence_id):
    ctx = request.ctx
    ctx.require("evidence.change")
    evidence = selectors.evidence_get(ctx=ctx, evidence_id=evidence_id)
    form = EvidenceEditForm(request.POST or None, evidence=evidence,
                            initial=EvidenceEditForm.initial_for(evidence),
                            owner_choices=member_choices(ctx=ctx))
    done = submit(request, form, lambda: services.evidence_update(
        ctx=ctx, evidence_id=evidence.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved {done.result.ref}.")
        return redirect("evidence:detail", ctx.org.slug, evidence.pk)
    return render(request, "evidence/edit.html", {"form": form, "evidence": evidence},
                  status=done.status)


def _delete_hint(ctx, evidence) -> str:
    if not evidence.blob_id:
        return "Its links to records go with it."
    if selectors.blob_users(ctx=ctx, blob_id=evidence.blob_id) > 1:
        return "Its links to records go with it. The file stays: other records use the same bytes."
    return ("Its links to records go with it. Its file is removed unless another record uses "
            "the same bytes.")


evidence_delete = org_view(DeletePage(
    perm="evidence.change", get=selectors.evidence_get, delete=services.evidence_delete,
    kind="evidence", name="{obj.ref} {obj.title}",
    back=lambda ctx, evidence: reverse("evidence:detail", args=[ctx.org.slug, evidence.pk]),
    back_label="{obj.ref}", after="evidence:list",
    done="Deleted {obj.ref}; its last values are in the activity log.",
    hint=_delete_hint).view)


@org_view
def evidence_download(request, evidence_id):
    evidence = selectors.evidence_get(ctx=request.ctx, evidence_id=evidence_id)
    if evidence.blob is None:
        raise Http404("This evidence has no file.")
    return stream_response(blob_open(evidence.blob), evidence.content_type, evidence.file_name)


# --------------------------------------------------------------------------- verification


def _may_verify(ctx) -> bool:
    """Those who keep evidence and those who audit it may re-hash the files."""
    return ctx.can("evidence.change") or ctx.can("audits.change")


@org_view
def files_verify(request):
    ctx = request.ctx
    result = None
    if request.method == "POST":
        if not _may_verify(ctx):
            ctx.require("evidence.change")  # says which permission is missing
        result = selectors.files_verify(ctx=ctx)
    return render(request, "evidence/verify.html", {"result": result,
                                                     "may_verify": _may_verify(ctx)})
