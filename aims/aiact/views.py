"""The EU AI Act in the web UI: the classification questionnaire per AI system, its versions,
the obligation calendar and the work on each obligation."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from aims.aiact import selectors, services
from aims.aiact.forms import ObligationForm
from aims.aiact.models import AiActClass
from aims.aiact.obligations import OPERATOR_ROLES
from aims.aiact.presenters import LEGAL_NOTE
from aims.aiact.questionnaire import QUESTIONS
from aims.core.errors import Conflict, ValidationError
from aims.core.views import submit
from aims.inventory.selectors import ai_system_choices
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices

CLASS_BADGE = {"prohibited": "bad", "high": "bad", "limited": "warn", "minimal": "ok",
               "out_of_scope": "muted"}


def trace_rows(trace: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Trace entries with their answer as one line of text."""
    return [{**s, "answer_text": "; ".join(s["answer"]) if isinstance(s["answer"], list)
             else s["answer"]} for s in trace]


def _answers_from(data) -> dict[str, Any]:
    """The answers a submitted questionnaire holds. A tick-any question counts as answered
    (possibly with nothing ticked) when the page showed it (its name is in `shown`)."""
    shown = set(data.getlist("shown"))
    answers: dict[str, Any] = {}
    for q in QUESTIONS:
        if q.kind == "many":
            if q.id in shown:
                answers[q.id] = data.getlist(q.id)
        elif value := data.get(q.id):
            answers[q.id] = value
    return answers


def _page(request, c: selectors.Classification, answers: dict[str, Any], *,
          errors: dict[str, list[str]] | None = None, general: list[str] | None = None,
          status: int = 200, version: int | None = None):
    questions, ev = selectors.questions_for(answers)
    errors = errors or {}
    rows = [{"q": q, "value": answers.get(q.id, [] if q.kind == "many" else ""),
             "errors": errors.get(f"answers.{q.id}", []) + (
                 [ev.errors[q.id]] if q.id in ev.errors and f"answers.{q.id}" not in errors
                 else [])} for q in questions]
    preview = ev.result
    return render(request, "aiact/classification.html", {
        "system": c.system, "c": c, "rows": rows, "pending": ev.pending, "preview": preview,
        "preview_label": AiActClass(preview.cls).label if preview else "",
        "preview_badge": CLASS_BADGE[preview.cls] if preview else "",
        "trace": trace_rows(preview.trace) if preview else [],
        "badge": CLASS_BADGE, "class_labels": dict(AiActClass.choices),
        "general_errors": general or [], "legal_note": LEGAL_NOTE,
        "version": c.version if version is None else version,
        "editing": answers != (c.current.answers if c.current else {}),
    }, status=status)


@org_view
def classification(request, system_id):
    ctx = request.ctx
    c = selectors.classification_get(ctx=ctx, system_id=system_id)
    if request.method == "POST":
        answers = _answers_from(request.POST)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            saved = services.classification_save(ctx=ctx, system_id=c.system.pk,
                                                 answers=answers, version=version)
        except ValidationError as exc:
            general = [f"{k}: {' '.join(v)}" for k, v in exc.errors.items()
                       if not k.startswith("answers.")]
            return _page(request, c, answers, errors=exc.errors, general=general, status=422,
                         version=version)
        except Conflict as exc:
            return _page(request, c, answers, general=[exc.message], status=409,
                         version=c.version)
        messages.success(request, f"Saved the classification of {c.system.name} (version "
                                  f"{saved.number}): {AiActClass(saved.result_class).label}.")
        return redirect("aiact:classification", ctx.org.slug, c.system.pk)
    answers = (_answers_from(request.GET) if request.GET.get("edit")
               else (c.current.answers if c.current else {}))
    if request.GET.get("edit"):
        try:
            version = int(request.GET.get("version", ""))
        except ValueError:
            version = None
        return _page(request, c, answers, version=version)
    return _page(request, c, answers)


@org_view
def versions(request, system_id):
    ctx = request.ctx
    c = selectors.classification_get(ctx=ctx, system_id=system_id)
    return render(request, "aiact/versions.html", {
        "system": c.system, "versions": [
            (v, CLASS_BADGE[v.result_class], trace_rows(v.trace))
            for v in selectors.classification_versions(ctx=ctx, system_id=c.system.pk)],
        "badge": CLASS_BADGE, "class_labels": dict(AiActClass.choices),
        "legal_note": LEGAL_NOTE})


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@org_view
def calendar(request):
    ctx = request.ctx
    choices = ai_system_choices(ctx=ctx)
    owners = member_choices(ctx=ctx)
    get = request.GET
    wanted = get.get("ai_system", "")
    system = next((pk for pk, _ in choices if pk == wanted), None)
    status = get.get("status", "")
    status = status if status in dict(selectors.STATUS_FILTERS) else ""
    owner = get.get("owner", "")
    owner = owner if owner == "none" or owner in dict(owners) else ""
    filters = selectors.ObligationFilters(
        ai_system=uuid.UUID(system) if system else None,
        date_from=_date(get.get("date_from", "")), date_to=_date(get.get("date_to", "")),
        status=status, owner=owner, include_ended=get.get("include_ended") == "1")
    today = timezone.localdate()
    cal = selectors.obligation_calendar(ctx=ctx, filters=filters, today=today)
    groups: dict[datetime.date, list] = {}
    for r in cal.rows:
        groups.setdefault(r.item.applies_from, []).append(r)
    return render(request, "aiact/calendar.html", {
        "cal": cal, "groups": [(d, rows[0].timeline_label, (d - today).days, rows)
                               for d, rows in groups.items()],
        "choices": choices, "owners": owners, "wanted": wanted, "status": status,
        "owner": owner, "statuses": selectors.STATUS_FILTERS,
        "include_ended": filters.include_ended,
        "date_from": get.get("date_from", ""), "date_to": get.get("date_to", ""),
        "today": today, "overdue": sum(1 for r in cal.rows if r.overdue),
        "filtered": bool(wanted or filters.date_from or filters.date_to or status or owner
                         or filters.include_ended),
        "roles": OPERATOR_ROLES, "badge": CLASS_BADGE, "class_labels": dict(AiActClass.choices),
        "legal_note": LEGAL_NOTE})


@org_view
def obligation(request, item_id):
    """One obligation of one AI system: what it asks, how it stands, its evidence and tasks."""
    ctx = request.ctx
    row = selectors.obligation_get(ctx=ctx, item_id=item_id, today=timezone.localdate())
    return render(request, "aiact/obligation.html", {
        "r": row, "item": row.item, "legal_note": LEGAL_NOTE, "badge": CLASS_BADGE,
        "class_labels": dict(AiActClass.choices)})


@org_view
def obligation_row(request, item_id):
    row = selectors.obligation_get(ctx=request.ctx, item_id=item_id, today=timezone.localdate())
    return render(request, "aiact/_obligation_row.html", {"r": row})


@org_view
def obligation_edit(request, item_id):
    """Work one obligation: inline in the calendar (htmx) or on a page of its own."""
    ctx = request.ctx
    ctx.require(services.ITEM_PERM)
    today = timezone.localdate()
    row = selectors.obligation_get(ctx=ctx, item_id=item_id, today=today)
    item = row.item
    form = ObligationForm(request.POST or None, initial=ObligationForm.initial_for(item),
                          owner_choices=member_choices(ctx=ctx), prefix=f"o{item.pk.hex[:8]}")
    done = submit(request, form, lambda: services.obligation_item_update(
        ctx=ctx, item_id=item.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok and request.htmx:
        row = selectors.obligation_get(ctx=ctx, item_id=item.pk, today=today)
        return render(request, "aiact/_obligation_row.html", {"r": row, "saved": True})
    back_to_item = request.GET.get("from") == "item"
    if done.ok:
        messages.success(request, f"Saved {item.ref} for {item.ai_system.name}.")
        if back_to_item:
            return redirect("aiact:obligation", ctx.org.slug, item.pk)
        return redirect(reverse("aiact:calendar", args=[ctx.org.slug]) + f"#ob-{item.pk}")
    template = "aiact/_obligation_row_form.html" if request.htmx else "aiact/obligation_edit.html"
    return render(request, template, {"r": row, "item": item, "form": form,
                                      "back_to_item": back_to_item}, status=done.status)
