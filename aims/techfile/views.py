"""The drafted EU AI Act documents of an AI system: page, print view and PDF."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aims.core.errors import Conflict, ValidationError
from aims.core.responses import file_response
from aims.core.views import posted_version, submit
from aims.orgs.decorators import org_view
from aims.techfile.drafts import KINDS, draft_get
from aims.techfile.models import NoticeLink
from aims.techfile.notices import notice_get, notice_pdf, public_notice_get
from aims.techfile.pdf import draft_pdf, print_context
from aims.techfile.services import notice_link_create, notice_link_revoke


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise Http404("No such document.")
    return kind


@org_view
def draft(request, system_id, kind):
    d = draft_get(ctx=request.ctx, system_id=system_id, kind=_kind(kind))
    return render(request, "techfile/draft.html", {"draft": d, "kinds": KINDS})


@org_view
def draft_print(request, system_id, kind):
    return render(request, "techfile/print.html",
                  print_context(ctx=request.ctx, system_id=system_id, kind=_kind(kind)))


@org_view
def draft_pdf_file(request, system_id, kind):
    return file_response(*draft_pdf(ctx=request.ctx, system_id=system_id, kind=_kind(kind)))


# ---------------------------------------------------------------- transparency notice


class NoticeLinkForm(forms.Form):
    contact = forms.CharField(
        label="How people reach you", widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NoticeLink._meta.get_field("contact").help_text)


def _notice_page(request, system_id, form=None, status=200, created=None):
    system, notice, links = notice_get(ctx=request.ctx, system_id=system_id)
    if form is None:
        current = next((link.contact for link in links if link.active), "")
        form = NoticeLinkForm(initial={"contact": current})
    return render(request, "techfile/notice.html", {
        "system": system, "notice": notice, "links": links, "form": form,
        "created": created}, status=status)


@org_view
def notice(request, system_id):
    return _notice_page(request, system_id)


@org_view
def notice_pdf_file(request, system_id):
    return file_response(*notice_pdf(ctx=request.ctx, system_id=system_id))


@require_POST
@org_view
def notice_link_create_view(request, system_id):
    ctx = request.ctx
    ctx.require("inventory.change")
    form = NoticeLinkForm(request.POST)
    done = submit(request, form, lambda: notice_link_create(
        ctx=ctx, system_id=system_id, data=form.cleaned_data))
    if done.ok:
        # The address exists in full only now (its hash is stored): show it this once.
        link = done.result
        return _notice_page(request, system_id, created={
            "link": link, "url": request.build_absolute_uri(
                reverse("notice_public", args=[link.raw_token]))})
    return _notice_page(request, system_id, form=form, status=done.status)


@require_POST
@org_view
def notice_link_revoke_view(request, system_id, link_id):
    ctx = request.ctx
    ctx.require("inventory.change")
    try:
        notice_link_revoke(ctx=ctx, system_id=system_id, link_id=link_id,
                           version=posted_version(request))
    except (ValidationError, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Revoked the link: its address now answers “not found”.")
    return redirect("techfile:notice", ctx.org.slug, system_id)


def notice_public(request, token):
    """The notice behind a public link, for anyone who has it (no sign-in)."""
    n = public_notice_get(token=token)
    return render(request, "techfile/notice_public.html", {
        "notice": n, "org": {"name": n.org_name}, "doc_kind": "Transparency notice",
        "doc_title": n.system_name, "for_pdf": False})
