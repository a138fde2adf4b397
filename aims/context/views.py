from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render

from aims.context import selectors, services
from aims.context.forms import (
    ISSUE_CATEGORIES,
    PARTY_CATEGORIES,
    ContextIssueForm,
    InterestedPartyForm,
    IssueFilterForm,
    PartyFilterForm,
    ScopeForm,
    active_value,
)
from aims.core.paging import paginate
from aims.core.views import DeletePage, submit
from aims.inventory.models import SystemStatus
from aims.inventory.selectors import ai_system_list
from aims.orgs.decorators import org_view

INACTIVE_HINT = ("If it simply no longer applies, edit it and untick “Still relevant” instead: "
                 "it then stays in the record as inactive.")


# ---------------------------------------------------------------- scope


def _live_systems(ctx) -> dict:
    """The inventory's AI systems now, split like the snapshot a scope version keeps."""
    systems = [s for s in ai_system_list(ctx=ctx) if s.status != SystemStatus.RETIRED]
    return {"in_scope": [s for s in systems if s.in_scope],
            "out_of_scope": [s for s in systems if not s.in_scope]}


def _drift(version, live: dict) -> dict | None:
    """How the inventory's scope differs from what `version` recorded, or None if it does not."""
    if version is None:
        return None
    snap = version.systems_snapshot or {}
    was_in, was_out = set(snap.get("in_scope", [])), set(snap.get("out_of_scope", []))
    now_in = {s.name for s in live["in_scope"]}
    now_out = {s.name for s in live["out_of_scope"]}
    drift = {"entered": sorted(now_in - was_in), "left": sorted(was_in - now_in),
             "new_outside": sorted(now_out - was_out - was_in)}
    return drift if any(drift.values()) else None


@org_view
def scope(request):
    ctx = request.ctx
    current = selectors.scope_current(ctx=ctx)
    live = _live_systems(ctx)
    return render(request, "context/scope.html", {
        "current": current, "live": live, "drift": _drift(current, live),
        "versions": list(selectors.scope_version_list(ctx=ctx)) if current else [],
    })


@org_view
def scope_version(request, number):
    ctx = request.ctx
    version = selectors.scope_version_get(ctx=ctx, number=number)
    current = selectors.scope_current(ctx=ctx)
    return render(request, "context/scope_version.html",
                  {"version": version, "latest": current.number})


@org_view
def scope_edit(request):
    ctx = request.ctx
    ctx.require("context.change")
    current = selectors.scope_current(ctx=ctx)
    form = ScopeForm(request.POST or None, initial=ScopeForm.initial_for(current),
                     first=current is None)
    done = submit(request, form, lambda: services.scope_version_create(
        ctx=ctx, data=form.service_data(), based_on=form.cleaned_data["based_on"]))
    if done.ok:
        messages.success(request, f"Saved version {done.result.number} of the AIMS scope.")
        return redirect("context:scope", ctx.org.slug)
    if getattr(form, "conflict", None):
        current = selectors.scope_current(ctx=ctx)
    return render(request, "context/scope_form.html", {
        "form": form, "current": current, "live": _live_systems(ctx),
        "next_number": (current.number if current else 0) + 1,
    }, status=done.status)


# ---------------------------------------------------------------- issues and parties


@dataclass(frozen=True)
class _Kind:
    """What tells issues and interested parties apart on the pages they share the shape of."""

    key: str  # "issue": its templates are context/issue_form.html, _issue_row.html …
    label: str  # "issue", "interested party": in messages
    form_class: type[ContextIssueForm] | type[InterestedPartyForm]
    categories: list[str]
    list_url: str
    name_field: str


ISSUES = _Kind("issue", "issue", ContextIssueForm, ISSUE_CATEGORIES, "context:issues", "title")
PARTIES = _Kind("party", "interested party", InterestedPartyForm, PARTY_CATEGORIES,
                "context:parties", "name")


def _list_page(request, *, filter_form, rows, template, categories):
    # The category suggestions are on the list page too, for the forms htmx swaps into rows.
    return render(request, template, {
        "filter_form": filter_form, "categories": categories,
        "filtered": filter_form.is_valid() and any(filter_form.cleaned_data.values()),
        **paginate(request, rows),
    })


def _edit_form(request, kind: _Kind, obj):
    """The form editing `obj`: on its own page, or in its row of the list (htmx), where the
    prefix keeps the ids of several open rows apart."""
    return kind.form_class(request.POST or None, initial=kind.form_class.initial_for(obj),
                           prefix=f"{kind.key[0]}{obj.pk.hex[:8]}" if request.htmx else None)


def _form_page(request, kind: _Kind, obj, form, call):
    """Add (obj None) or edit one record: once saved, its row again (edited in the list) or
    the list; otherwise the form with what went wrong."""
    done = submit(request, form, call)
    in_row = obj is not None and request.htmx
    if done.ok and in_row:
        return render(request, f"context/_{kind.key}_row.html",
                      {kind.key: done.result, "saved": True})
    if done.ok:
        messages.success(request, f"{'Added' if obj is None else 'Saved'} the {kind.label} "
                                  f"“{getattr(done.result, kind.name_field)}”.")
        return redirect(kind.list_url, request.ctx.org.slug)
    return render(request, f"context/_{kind.key}_row_form.html" if in_row
                  else f"context/{kind.key}_form.html",
                  {"form": form, kind.key: obj, "categories": kind.categories},
                  status=done.status)


@org_view
def issues(request):
    ctx = request.ctx
    form = IssueFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {"q": "", "kind": "", "active": ""}
    rows = selectors.context_issue_list(ctx=ctx, kind=d["kind"], q=d["q"],
                                        active=active_value(d["active"]))
    return _list_page(request, filter_form=form, rows=rows, template="context/issues.html",
                      categories=ISSUE_CATEGORIES)


@org_view
def issue_create(request):
    ctx = request.ctx
    ctx.require("context.change")
    initial = {"is_active": True}
    if request.GET.get("kind") in ("internal", "external"):
        initial["kind"] = request.GET["kind"]
    form = ContextIssueForm(request.POST or None, initial=initial)
    return _form_page(request, ISSUES, None, form, lambda: services.context_issue_create(
        ctx=ctx, data=form.service_data()))


@org_view
def issue_row(request, issue_id):
    issue = selectors.context_issue_get(ctx=request.ctx, issue_id=issue_id)
    return render(request, "context/_issue_row.html", {"issue": issue})


@org_view
def issue_edit(request, issue_id):
    ctx = request.ctx
    ctx.require("context.change")
    issue = selectors.context_issue_get(ctx=ctx, issue_id=issue_id)
    form = _edit_form(request, ISSUES, issue)
    return _form_page(request, ISSUES, issue, form, lambda: services.context_issue_update(
        ctx=ctx, issue_id=issue.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))


issue_delete = org_view(DeletePage(
    perm="context.change", get=selectors.context_issue_get,
    delete=services.context_issue_delete, kind="issue", name="{obj.title}",
    back="context:issues", back_label="Internal and external issues",
    done="Deleted the issue “{name}”. Its last values are kept in the activity log.",
    hint=INACTIVE_HINT).view)


# ---------------------------------------------------------------- interested parties


@org_view
def parties(request):
    ctx = request.ctx
    form = PartyFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {"q": "", "active": ""}
    rows = selectors.interested_party_list(ctx=ctx, q=d["q"], active=active_value(d["active"]))
    return _list_page(request, filter_form=form, rows=rows, template="context/parties.html",
                      categories=PARTY_CATEGORIES)


@org_view
def party_create(request):
    ctx = request.ctx
    ctx.require("context.change")
    form = InterestedPartyForm(request.POST or None, initial={"is_active": True})
    return _form_page(request, PARTIES, None, form, lambda: services.interested_party_create(
        ctx=ctx, data=form.service_data()))


@org_view
def party_row(request, party_id):
    party = selectors.interested_party_get(ctx=request.ctx, party_id=party_id)
    return render(request, "context/_party_row.html", {"party": party})


@org_view
def party_edit(request, party_id):
    ctx = request.ctx
    ctx.require("context.change")
    party = selectors.interested_party_get(ctx=ctx, party_id=party_id)
    form = _edit_form(request, PARTIES, party)
    return _form_page(request, PARTIES, party, form, lambda: services.interested_party_update(
        ctx=ctx, party_id=party.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))


party_delete = org_view(DeletePage(
    perm="context.change", get=selectors.interested_party_get,
    delete=services.interested_party_delete, kind="interested party", name="{obj.name}",
    back="context:parties", back_label="Interested parties",
    done="Deleted the interested party “{name}”. Its last values are kept in the activity log.",
    hint=INACTIVE_HINT).view)
