"""The task pages: board, My tasks, detail, the forms, and bounded queries on every list."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aims.evidence.selectors import evidence_for
from aims.records.kinds import linked
from aims.risks.services import action_create, risk_create
from aims.tasks.models import Task
from aims.tasks.selectors import task_get, task_next
from aims.tasks.services import task_complete
from aims.testing.factories import add_member, ctx_for

TODAY = datetime.date.today()
pytestmark = pytest.mark.django_db
_seq = itertools.count()


def url(name, org, *args):
    return reverse(f"tasks:{name}", args=[org.slug, *args])


def test_board_filters_and_highlights(org, members, make_task, control, web_client_for):
    client = web_client_for(members["viewer"])
    late = make_task(title="Late review", owner=members["editor"].pk,
                     due_date=TODAY - datetime.timedelta(days=3), subject=control)
    make_task(title="Relaxed review", priority="low")
    page = client.get(url("board", org))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="overdue"' in html and "Late review" in html and "Relaxed review" in html
    assert reverse("tasks:detail", args=[org.slug, late.pk]) in html
    assert linked(control, org.slug).url in html  # the control is linked
    assert "Add a task" not in html  # viewers do not get the button
    html = client.get(url("board", org), {"overdue": "on"}).content.decode()
    assert "Late review" in html and "Relaxed review" not in html
    html = client.get(url("board", org), {"priority": "urgent"}).content.decode()
    assert "No task matches these filters" in html
    html = client.get(url("board", org), {"view": "columns"}).content.decode()
    assert 'class="task-columns"' in html and "Late review" in html


def test_board_explains_the_overdue_highlight(org, members, make_task, web_client_for):
    make_task(title="Late review", due_date=TODAY - datetime.timedelta(days=3))
    client = web_client_for(members["viewer"])
    for view in ("", "columns"):
        html = client.get(url("board", org), {"view": view} if view else {}).content.decode()
        assert 'id="task-legend"' in html
        assert "open work past its due date" in html


def test_board_empty_state(org, members, web_client_for):
    html = web_client_for(members["editor"]).get(url("board", org)).content.decode()
    assert "No open tasks." in html and "Add a task" in html


def test_my_tasks_groups_and_actions(org, members, ctx, make_task, web_client_for):
    editor = members["editor"]
    make_task(title="Overdue one", owner=editor.pk, due_date=TODAY - datetime.timedelta(days=1))
    make_task(title="This week one", owner=editor.pk, due_date=TODAY + datetime.timedelta(days=2))
    make_task(title="Later one", owner=editor.pk, due_date=TODAY + datetime.timedelta(days=40))
    make_task(title="Undated one", owner=editor.pk)
    make_task(title="Not mine", owner=members["admin"].pk)
    finished = make_task(title="Finished one", owner=editor.pk)
    task_complete(ctx=ctx, task_id=finished.pk, version=1)
    risk = risk_create(ctx=ctx, data={"title": "Drift goes unnoticed", "category": "bias"})
    action_create(ctx=ctx, risk_id=risk.pk, data={"title": "Add a drift monitor",
                                                  "owner": editor.pk})
    page = web_client_for(editor).get(url("mine", org))
    groups = page.context["groups"]
    assert [r.task.title for r in groups.overdue] == ["Overdue one"]
    assert [r.task.title for r in groups.this_week] == ["This week one"]
    assert [r.task.title for r in groups.later] == ["Later one"]
    assert [r.task.title for r in groups.no_date] == ["Undated one"]
    html = page.content.decode()
    assert "Not mine" not in html and "Finished one" in html
    assert "Add a drift monitor" in html
    assert reverse("risks:detail", args=[org.slug, risk.pk]) + "#actions" in html


def test_create_prefilled_from_the_query(org, members, control, web_client_for):
    client = web_client_for(members["editor"])
    back = reverse("compliance:soa", args=[org.slug])
    query = {"kind": "evidence_request", "subject_kind": "compliance_item",
             "subject_id": str(control.pk), "title": "Upload the validation report",
             "next": back}
    page = client.get(url("create", org), query)
    form = page.context["form"]
    assert form["kind"].value() == "evidence_request"
    assert form["subject_id"].value() == str(control.pk)
    assert (str(control.pk), str(control)) in form.fields["subject_id"].choices
    r = client.post(url("create", org) + "?" + "&".join(f"{k}={v}" for k, v in query.items()), {
        "title": "Upload the validation report", "kind": "evidence_request",
        "priority": "high", "owner": str(members["editor"].pk), "due_date": "2030-01-31",
        "subject_kind": "compliance_item", "subject_id": str(control.pk), "next": back})
    assert r.status_code == 302 and r["Location"] == back
    task = Task.objects.for_org(org).get()
    assert (task.kind, task.subject_id, task.owner) == ("evidence_request", control.pk,
                                                        members["editor"])


def test_create_refuses_a_viewer_owner_on_the_field(org, members, control, web_client_for):
    r = web_client_for(members["editor"]).post(url("create", org), {
        "title": "Upload", "kind": "evidence_request", "priority": "normal",
        "owner": str(members["viewer"].pk), "subject_kind": "compliance_item",
        "subject_id": str(control.pk)})
    assert r.status_code == 422
    assert "can add evidence" in r.context["form"].errors["owner"][0]


def test_subject_picker_fragment(org, members, ctx, web_client_for):
    r = web_client_for(members["viewer"]).get(url("subject_options", org),
                                               {"subject_kind": "risk"})
    assert r.status_code == 200 and b'id="subject-id-field"' in r.content
    risk_create(ctx=ctx, data={"title": "Drift goes unnoticed", "category": "bias"})
    r = web_client_for(members["viewer"]).get(url("subject_options", org),
                                               {"subject_kind": "risk"})
    assert b"Drift goes unnoticed" in r.content


def test_detail_edit_complete_reopen_cancel(org, members, control, make_task, web_client_for):
    client = web_client_for(members["editor"])
    task = make_task(title="Quarterly access review", subject=control,
                     due_date=datetime.date(2030, 3, 31), recurrence_every=3,
                     recurrence_unit="months")
    html = client.get(url("detail", org, task.pk)).content.decode()
    assert "Quarterly access review" in html and linked(control, org.slug).url in html
    assert "History" in html and "Every 3 months" in html
    r = client.post(url("edit", org, task.pk), {
        "title": "Quarterly access review (all systems)", "kind": "review", "priority": "high",
        "due_date": "2030-03-31", "recurrence_every": "3", "recurrence_unit": "months",
        "version": "1"})
    assert r.status_code == 302
    r = client.post(url("complete", org, task.pk), {"version": "2", "note": "All good."})
    assert r.status_code == 302
    nxt = task_next(ctx=ctx_for(org, members["editor"]), task=task)
    assert nxt.due_date == datetime.date(2030, 6, 30)
    client.post(url("reopen", org, task.pk), {"version": "3"})
    assert task_get(ctx=ctx_for(org, members["editor"]), task_id=task.pk).status == "open"
    client.post(url("cancel", org, task.pk), {"version": "4"})
    assert task_get(ctx=ctx_for(org, members["editor"]), task_id=task.pk).status == "cancelled"
    r = client.post(url("complete", org, task.pk), {"version": "5"})
    assert r.status_code == 422


def test_stale_complete_shows_a_conflict(org, members, make_task, web_client_for):
    task = make_task()
    r = web_client_for(members["editor"]).post(url("complete", org, task.pk), {"version": "7"})
    assert r.status_code == 409 and b"changed by someone else" in r.content


def test_viewer_owner_can_complete_from_the_page(org, members, make_task, web_client_for):
    viewer = web_client_for(members["viewer"])
    own = make_task(owner=members["viewer"].pk)
    other = make_task()
    assert b"Mark done" in viewer.get(url("detail", org, own.pk)).content
    assert b"Mark done" not in viewer.get(url("detail", org, other.pk)).content
    assert viewer.post(url("complete", org, own.pk), {"version": "1"}).status_code == 302
    assert viewer.post(url("complete", org, other.pk), {"version": "1"}).status_code == 403
    assert viewer.get(url("edit", org, own.pk)).status_code == 403


def test_answer_evidence_request_by_upload(org, members, control, evidence_request,
                                           web_client_for):
    client = web_client_for(members["editor"])
    page = client.get(url("detail", org, evidence_request.pk)).content.decode()
    assert "Answer with evidence" in page
    r = client.post(url("answer", org, evidence_request.pk), {
        "kind": "file", "version": "1", "valid_until": "2031-01-31",
        "file": SimpleUploadedFile("validation.pdf", b"%PDF-1.4 report")})
    assert r.status_code == 302, r.content[:500]
    ctx = ctx_for(org, members["editor"])
    (evidence,) = evidence_for(ctx=ctx, subject=control)
    assert evidence.file_name == "validation.pdf"
    assert task_get(ctx=ctx, task_id=evidence_request.pk).status == "done"
    page = client.get(url("detail", org, evidence_request.pk)).content.decode()
    assert "Answer with evidence" not in page and "validation.pdf" in page


def test_answer_without_file_shows_the_error_on_the_field(org, members, evidence_request,
                                                          web_client_for):
    r = web_client_for(members["editor"]).post(url("answer", org, evidence_request.pk),
                                               {"kind": "file", "version": "1"})
    assert r.status_code == 422
    assert r.context["answer_form"].errors["file"]


def test_delete_confirms_then_deletes(org, members, make_task, web_client_for):
    client = web_client_for(members["editor"])
    task = make_task()
    assert client.get(url("delete", org, task.pk)).status_code == 200
    r = client.post(url("delete", org, task.pk), {"version": "1"})
    assert r.status_code == 302 and not Task.objects.for_org(org).exists()


def test_panel_links_and_add_link(org, members, ctx, make_task, web_client_for):
    from django.template import Context, Template
    from django.test import RequestFactory

    risk = risk_create(ctx=ctx, data={"title": "Drift goes unnoticed", "category": "bias"})
    task = make_task(subject=risk)
    request = RequestFactory().get("/o/acme/risks/x/")
    html = Template("{% load task_tags %}{% task_panel obj %}").render(
        Context({"ctx": ctx, "obj": risk, "request": request}))
    assert reverse("tasks:detail", args=[org.slug, task.pk]) in html
    assert f"?subject_kind=risk&amp;subject_id={risk.pk}" in html and "Add task" in html


# ---------------------------------------------------------------------------- query counts


SMALL, MORE = 5, 40


def _grow(org, owner_ctx, me, n):
    """`n` more tasks, each created by another member, about records of three kinds; three in
    four are `me`'s own (of every kind), the others done; and a treatment action of `me` per
    five tasks."""
    risk = risk_create(ctx=owner_ctx, data={"title": f"QC risk {next(_seq)}", "category": "bias"})
    from aims.compliance.selectors import soa_item_get
    from aims.testing.factories import make_ai_system

    system = make_ai_system(owner_ctx, name=f"QC system {next(_seq)}")
    control = soa_item_get(ctx=owner_ctx, ref="A.6.2.4")
    from aims.tasks.services import task_create

    for i in range(n):
        member = add_member(org, "editor", email=f"tq{next(_seq)}@{org.slug}.example.com")
        owner = me if i % 4 else member
        task = task_create(ctx=ctx_for(org, member), subject=(risk, system, control)[i % 3],
                           data={"title": f"Task {i}", "owner": owner.pk, "kind": "review",
                                 "due_date": TODAY + datetime.timedelta(days=i - 3)})
        if i % 4 == 0:
            task_complete(ctx=ctx_for(org, member), task_id=task.pk, version=1)
        if i % 5 == 0:
            action_create(ctx=owner_ctx, risk_id=risk.pk, data={
                "title": f"Action {i}", "owner": me.pk, "due_date": TODAY})


@pytest.mark.parametrize("target", ["board", "board_columns", "board_all", "mine", "api",
                                    "api_me"])
def test_lists_have_bounded_queries(org, members, owner_ctx, web_client_for, api_client_for,
                                    django_assert_max_num_queries, target):
    me = members["viewer"]
    web, api = web_client_for(me), api_client_for(me)
    requests = {
        "board": lambda: web.get(url("board", org)),
        "board_columns": lambda: web.get(url("board", org), {"view": "columns"}),
        "board_all": lambda: web.get(url("board", org), {"status": "all", "owner": "me"}),
        "mine": lambda: web.get(url("mine", org)),
        "api": lambda: api.get(f"/api/v1/orgs/{org.slug}/tasks"),
        "api_me": lambda: api.get(f"/api/v1/orgs/{org.slug}/me/tasks"),
    }
    bound = {"board": 16, "board_columns": 16, "board_all": 16, "mine": 16, "api": 8,
             "api_me": 8}[target]
    requests[target]()  # a first request does one-off writes (token last used, session)
    counts = []
    for n in (SMALL, MORE - SMALL):
        _grow(org, owner_ctx, me, n)
        with django_assert_max_num_queries(bound) as captured:
            assert requests[target]().status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_my_tasks_shows_the_most_pressing_hundred(org, members, ctx, web_client_for,
                                                  monkeypatch):
    import datetime

    from aims.tasks import views as task_views
    from aims.tasks.services import task_create

    monkeypatch.setattr(task_views, "MINE_SHOWN", 3)
    for i in range(4):
        task_create(ctx=ctx, data={"title": f"Pressing {i}", "owner": members["editor"].pk,
                                   "due_date": datetime.date(2030, 1, 1 + i)})
    body = web_client_for(members["editor"]).get(f"/o/{org.slug}/tasks/mine/").content.decode()
    assert "Showing your 3 most pressing open tasks" in body
    assert "Pressing 2" in body and "Pressing 3" not in body
