from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from aims.activity.selectors import record_history
from aims.core.errors import NotFound
from aims.core.paging import paginate
from aims.core.uploads import accepts_upload
from aims.core.views import DeletePage, posted_version, submit
from aims.orgs.context import ctx_for_user
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices
from aims.records import kinds
from aims.risks.selectors import actions_for_user
from aims.tasks import selectors, services
from aims.tasks.calendar import feed_ics
from aims.tasks.forms import (
    AnswerForm,
    CompleteForm,
    TaskFilterForm,
    TaskForm,
    subject_id_choices,
)
from aims.tasks.models import TaskKind, TaskStatus

HISTORY_SHOWN = 20


# ---------------------------------------------------------------------------- lists


class _Row:
    """A task with the record it is about (a `Linked`, or None); dated like the task."""

    def __init__(self, task, subject):
        self.task, self.subject = task, subject
        self.due_date = task.due_date


def _rows(ctx, tasks) -> list[_Row]:
    """Rows for a list of tasks; their records resolved with one query per kind present."""
    found = kinds.resolve(ctx=ctx, refs=[t.subject_ref for t in tasks if t.subject_ref])
    return [_Row(t, found.get(t.subject_ref) if t.subject_ref else None) for t in tasks]


MINE_SHOWN = 100


@org_view
def my_tasks(request):
    ctx = request.ctx
    today = timezone.localdate()
    # The most pressing first; someone with hundreds of open tasks goes on in the board.
    mine = selectors.my_open_tasks(ctx=ctx)
    open_tasks = list(mine[:MINE_SHOWN + 1])
    more = len(open_tasks) > MINE_SHOWN
    open_tasks = open_tasks[:MINE_SHOWN]
    done = selectors.my_recently_done(ctx=ctx)
    rows = _rows(ctx, [*open_tasks, *done])
    return render(request, "tasks/mine.html", {
        "groups": selectors.group_by_due(rows[:len(open_tasks)], today),
        "actions": list(actions_for_user(ctx=ctx, user=ctx.user)),
        "done": rows[len(open_tasks):], "feed": selectors.calendar_feed_of(ctx=ctx),
        "today": today, "more": more, "shown": MINE_SHOWN,
    })


@org_view
def task_board(request):
    ctx = request.ctx
    owners = member_choices(ctx=ctx)
    form = TaskFilterForm(request.GET or None, owner_choices=owners)
    filters, view, filtered = selectors.TaskFilters(status=selectors.ACTIVE), "", False
    if form.is_valid():
        d = form.cleaned_data
        view = d["view"]
        filters = selectors.TaskFilters(
            q=d["q"].strip(), owner=d["owner"], kind=d["kind"],
            status=d["status"] or selectors.ACTIVE, priority=d["priority"],
            overdue=d["overdue"], subject_kind=d["subject_kind"])
        filtered = any(d[k] for k in ("q", "owner", "kind", "status", "priority",
                                      "subject_kind", "overdue"))
    page = paginate(request, selectors.task_list(ctx=ctx, filters=filters))
    rows = _rows(ctx, list(page["page"].object_list))
    columns = []
    if view == "columns":
        shown = TaskStatus.choices if filters.status == selectors.ANY or filters.status in (
            selectors.CLOSED_FILTER, *TaskStatus.values) else TaskStatus.choices[:2]
        columns = [(value, label, [r for r in rows if r.task.status == value])
                   for value, label in shown]
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("view", None)
    return render(request, "tasks/board.html", {
        "filter_form": form, "filtered": filtered, "rows": rows, "view": view,
        "columns": columns, "view_query": params.urlencode(), **page})


# ---------------------------------------------------------------------------- one task


def _detail_context(ctx, task, **forms) -> dict:
    subject = (kinds.resolve(ctx=ctx, refs=[task.subject_ref])[task.subject_ref]
               if task.subject_ref else None)
    may_work = selectors.can_work_on(ctx=ctx, task=task)
    is_request = task.kind == TaskKind.EVIDENCE_REQUEST
    return {
        "task": task, "subject": subject, "next_task": selectors.task_next(ctx=ctx, task=task),
        "history": record_history(ctx=ctx, record=task, limit=HISTORY_SHOWN),
        "may_work": may_work,
        "is_request": is_request,
        "may_answer": (is_request and may_work and not task.is_closed
                       and ctx.can("evidence.change") and subject is not None
                       and subject.exists),
        "complete_form": forms.get("complete_form") or CompleteForm(
            initial={"version": task.version}),
        "answer_form": forms.get("answer_form") or AnswerForm(
            initial={"version": task.version, "title": task.title}),
    }


@org_view
def task_detail(request, task_id):
    ctx = request.ctx
    task = selectors.task_get(ctx=ctx, task_id=task_id)
    return render(request, "tasks/detail.html", _detail_context(ctx, task))


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return None


@org_view
def task_create(request):
    ctx = request.ctx
    ctx.require("tasks.change")
    g = request.GET
    initial = {"kind": g.get("kind") if g.get("kind") in TaskKind.values else TaskKind.OTHER,
               "title": g.get("title", "")[:200], "subject_kind": g.get("subject_kind", ""),
               "subject_id": g.get("subject_id", ""), "priority": "normal"}
    form = TaskForm(request.POST or None, ctx=ctx, owner_choices=member_choices(ctx=ctx),
                    with_subject=True, initial=initial)
    done = submit(request, form, lambda: services.task_create(ctx=ctx, data=form.service_data()))
    if done.ok:
        messages.success(request, f"Added {done.result.ref}: {done.result.title}.")
        return redirect(_safe_next(request)
                        or reverse("tasks:detail", args=[ctx.org.slug, done.result.pk]))
    return render(request, "tasks/form.html", {"form": form, "task": None,
                                               "next": _safe_next(request) or ""},
                  status=done.status)


@org_view
def subject_options(request):
    """The record picker for one kind of record (an htmx fragment of the task form)."""
    ctx = request.ctx
    form = TaskForm(ctx=ctx, owner_choices=[], with_subject=True,
                    initial={"subject_kind": request.GET.get("subject_kind", "")})
    form.fields["subject_id"].choices = subject_id_choices(ctx, request.GET.get("subject_kind", ""))
    return render(request, "tasks/_subject_id.html", {"field": form["subject_id"]})


@org_view
def task_edit(request, task_id):
    ctx = request.ctx
    ctx.require("tasks.change")
    task = selectors.task_get(ctx=ctx, task_id=task_id)
    initial = {name: getattr(task, name) for name in (
        "title", "description", "kind", "priority", "due_date", "recurrence_every",
        "recurrence_unit", "version")}
    initial["owner"] = str(task.owner_id or "")
    form = TaskForm(request.POST or None, ctx=ctx, owner_choices=member_choices(ctx=ctx),
                    initial=initial)
    done = submit(request, form, lambda: services.task_update(
        ctx=ctx, task_id=task.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved {done.result.ref}.")
        return redirect("tasks:detail", ctx.org.slug, task.pk)
    subject = (kinds.resolve(ctx=ctx, refs=[task.subject_ref])[task.subject_ref]
               if task.subject_ref else None)
    return render(request, "tasks/form.html", {"form": form, "task": task, "subject": subject},
                  status=done.status)


@require_POST
@org_view
def task_complete(request, task_id):
    ctx = request.ctx
    task = selectors.task_get(ctx=ctx, task_id=task_id)
    services.require_work_on(ctx, task)
    form = CompleteForm(request.POST)
    done = submit(request, form, lambda: services.task_complete(
        ctx=ctx, task_id=task.pk, version=form.cleaned_data["version"],
        note=form.cleaned_data["note"]))
    if done.ok:
        nxt = selectors.task_next(ctx=ctx, task=done.result)
        follow = (f" The next one, {nxt.ref}, is due {nxt.due_date:%Y-%m-%d}."
                  if nxt is not None and nxt.status in (TaskStatus.OPEN,) else "")
        messages.success(request, f"{task.ref} is done.{follow}")
        return redirect(_safe_next(request) or reverse("tasks:detail",
                                                       args=[ctx.org.slug, task.pk]))
    task = selectors.task_get(ctx=ctx, task_id=task_id)
    return render(request, "tasks/detail.html",
                  _detail_context(ctx, task, complete_form=form), status=done.status)


def _status_change(request, task_id, status: str, message: str):
    ctx = request.ctx
    task = selectors.task_get(ctx=ctx, task_id=task_id)
    services.require_work_on(ctx, task)
    services.task_update(ctx=ctx, task_id=task.pk, data={"status": status},
                         version=posted_version(request))
    messages.success(request, message.format(ref=task.ref))
    return redirect("tasks:detail", ctx.org.slug, task.pk)


@require_POST
@org_view
def task_start(request, task_id):
    return _status_change(request, task_id, TaskStatus.IN_PROGRESS, "{ref} is in progress.")


@require_POST
@org_view
def task_reopen(request, task_id):
    return _status_change(request, task_id, TaskStatus.OPEN,
                          "{ref} is open again. An occurrence that already followed it stays.")


@require_POST
@org_view
def task_cancel(request, task_id):
    return _status_change(request, task_id, TaskStatus.CANCELLED,
                          "{ref} is cancelled. A recurring task ends here: no next occurrence "
                          "is created.")


@accepts_upload
@require_POST
@org_view
def task_answer(request, task_id):
    ctx = request.ctx
    task = selectors.task_get(ctx=ctx, task_id=task_id)
    services.require_work_on(ctx, task)
    ctx.require("evidence.change")
    form = AnswerForm(request.POST, request.FILES)
    done = submit(request, form, lambda: services.task_answer_with_evidence(
        ctx=ctx, task_id=task.pk, version=form.cleaned_data["version"],
        data=form.service_data(), upload=form.cleaned_data.get("file")))
    if done.ok:
        ev = done.result.evidence
        messages.success(request, f"Answered {task.ref} with {ev.ref} {ev.title}; it is linked "
                                  "to the record the request was about.")
        return redirect("tasks:detail", ctx.org.slug, task.pk)
    task = selectors.task_get(ctx=ctx, task_id=task_id)
    return render(request, "tasks/detail.html",
                  _detail_context(ctx, task, answer_form=form), status=done.status)


task_delete = org_view(DeletePage(
    perm="tasks.change", get=selectors.task_get, delete=services.task_delete,
    kind="task", back="tasks:board", back_label="Task board",
    done="Deleted {obj.ref}. Its last values are kept in the activity log.",
    hint="If the work is no longer needed, cancel the task instead: it then stays in the "
         "record.").view)


# ---------------------------------------------------------------------------- calendar feed


@org_view
def calendar(request):
    """The member's calendar feed: issue (or replace) and revoke it. The secret address is
    shown once, right after it is issued."""
    ctx = request.ctx
    issued = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue":
            issued = services.calendar_feed_issue(ctx=ctx)
        elif action == "revoke" and services.calendar_feed_revoke(ctx=ctx):
            messages.success(request, "Your calendar address no longer works.")
    feed_path = reverse("tasks:calendar_feed", args=[ctx.org.slug])
    return render(request, "tasks/calendar.html", {
        "feed": selectors.calendar_feed_of(ctx=ctx),
        "issued_url": request.build_absolute_uri(f"{feed_path}?token={issued}") if issued
        else None,
    })


def calendar_feed(request, slug):
    """The iCalendar feed. With ?token= it needs no session (calendar apps have none) and
    answers 404 for a wrong or revoked token or a former member; without one, a signed-in
    member downloads their own feed."""
    token = request.GET.get("token")
    if token is None:
        return _own_calendar_feed(request, slug)
    if request.method not in ("GET", "HEAD"):
        raise Http404("No such calendar.")
    user = selectors.calendar_feed_user(slug=slug, token_hash=services.feed_token_hash(token))
    if user is None:
        raise Http404("No such calendar.")
    try:
        ctx = ctx_for_user(user, slug)
    except NotFound as exc:
        raise Http404("No such calendar.") from exc
    return _ics_response(request, ctx)


@org_view
def _own_calendar_feed(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _ics_response(request, request.ctx)


def _ics_response(request, ctx) -> HttpResponse:
    body = feed_ics(ctx=ctx, absolute=request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{ctx.org.slug}-tasks.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
