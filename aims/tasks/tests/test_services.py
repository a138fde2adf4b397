"""Task services: creation rules, who may progress work, recurrence, evidence requests."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aims.activity.models import Event
from aims.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from aims.evidence.selectors import evidence_for
from aims.tasks.models import Task
from aims.tasks.selectors import task_get, task_next, tasks_for
from aims.tasks.services import (
    task_answer_with_evidence,
    task_complete,
    task_create,
    task_delete,
    task_update,
)
from aims.testing.factories import ctx_for

D = datetime.date
pytestmark = pytest.mark.django_db


def _all(ctx):
    return list(Task.objects.for_org(ctx.org).order_by("number"))


# ---------------------------------------------------------------------------- create / update


def test_create_numbers_and_logs(ctx, members, control, make_task):
    a = make_task(owner=members["viewer"].pk, subject=control)
    b = make_task(title="Second")
    assert (a.ref, b.ref) == ("T-001", "T-002")
    assert (a.subject_kind, a.subject_id) == ("compliance_item", control.pk)
    event = Event.objects.filter(org=ctx.org, object_id=str(a.pk)).get()
    assert event.action == "create"
    assert event.changes["subject"]["after"].startswith("Requirement: A.6.2.4")
    assert tasks_for(ctx=ctx, subject=control) == [a]


def test_create_by_subject_kind_and_id(ctx, control):
    task = task_create(ctx=ctx, data={"title": "Check", "subject_kind": "compliance_item",
                                      "subject_id": str(control.pk)})
    assert task.subject_id == control.pk


@pytest.mark.parametrize("data,field", [
    ({"subject_kind": "compliance_item"}, "subject_id"),
    ({"subject_kind": "nonsense", "subject_id": "00000000-0000-0000-0000-000000000001"},
     "subject_kind"),
    ({"recurrence_every": 3}, "recurrence_unit"),
    ({"recurrence_every": 3, "recurrence_unit": "months"}, "due_date"),
    ({"recurrence_every": 0, "recurrence_unit": "days", "due_date": D(2030, 1, 1)},
     "recurrence_every"),
    ({"recurrence_every": 366, "recurrence_unit": "days", "due_date": D(2030, 1, 1)},
     "recurrence_every"),
    ({"owner": "00000000-0000-0000-0000-000000000001"}, "owner"),
    ({"status": "done", "colour": "red"}, "colour"),
])
def test_create_names_the_bad_field(ctx, data, field):
    with pytest.raises(ValidationError) as exc:
        task_create(ctx=ctx, data={"title": "T", **data})
    assert field in exc.value.errors


def test_recurrence_bounds_are_accepted(ctx):
    for every in (1, 365):
        task = task_create(ctx=ctx, data={"title": "T", "recurrence_every": every,
                                          "recurrence_unit": "days", "due_date": D(2030, 1, 1)})
        assert task.recurs


def test_subject_of_another_org_is_not_found(ctx, other_org):
    from aims.compliance.selectors import soa_item_get
    from aims.orgs.models import Membership

    foreign = soa_item_get(ctx=ctx_for(other_org, Membership.objects.get(org=other_org).user),
                           ref="A.6.2.4")
    with pytest.raises(ValidationError):
        task_create(ctx=ctx, data={"title": "T"}, subject=foreign)
    with pytest.raises(NotFound):
        task_create(ctx=ctx, data={"title": "T", "subject_kind": "compliance_item",
                                   "subject_id": foreign.pk})
    assert _all(ctx) == []


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_readers_cannot_create(org, members, role):
    with pytest.raises(PermissionDenied):
        task_create(ctx=ctx_for(org, members[role]), data={"title": "T"})


def test_update_logs_only_changes_and_checks_version(ctx, make_task):
    task = make_task(priority="normal")
    task = task_update(ctx=ctx, task_id=task.pk, data={"priority": "high", "title": task.title},
                       version=1)
    assert task.version == 2
    event = Event.objects.filter(org=ctx.org, object_id=str(task.pk)).order_by("-seq").first()
    assert set(event.changes) == {"priority"}
    with pytest.raises(Conflict):
        task_update(ctx=ctx, task_id=task.pk, data={"priority": "low"}, version=1)


def test_status_done_goes_through_complete(ctx, make_task):
    task = make_task()
    with pytest.raises(ValidationError) as exc:
        task_update(ctx=ctx, task_id=task.pk, data={"status": "done"}, version=1)
    assert "status" in exc.value.errors


# ---------------------------------------------------------------------------- who may progress


def test_owner_may_complete_even_as_viewer(org, members, make_task):
    viewer = members["viewer"]
    task = make_task(owner=viewer.pk)
    done = task_complete(ctx=ctx_for(org, viewer), task_id=task.pk, version=1, note=" Done. ")
    assert done.status == "done" and done.completed_by == viewer
    assert done.completion_note == "Done."


def test_owner_may_change_status_but_nothing_else(org, members, make_task):
    viewer_ctx = ctx_for(org, members["viewer"])
    task = make_task(owner=members["viewer"].pk)
    task = task_update(ctx=viewer_ctx, task_id=task.pk, data={"status": "in_progress"},
                       version=1)
    assert task.status == "in_progress"
    with pytest.raises(PermissionDenied):
        task_update(ctx=viewer_ctx, task_id=task.pk, data={"title": "Mine now"}, version=2)


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_others_need_tasks_change(org, members, make_task, role):
    task = make_task(owner=members["editor"].pk)
    reader = ctx_for(org, members[role])
    with pytest.raises(PermissionDenied):
        task_complete(ctx=reader, task_id=task.pk, version=1)
    with pytest.raises(PermissionDenied):
        task_update(ctx=reader, task_id=task.pk, data={"status": "cancelled"}, version=1)
    with pytest.raises(PermissionDenied):
        task_delete(ctx=reader, task_id=task.pk, version=1)
    assert task_get(ctx=reader, task_id=task.pk).status == "open"


def test_editor_may_complete_someone_elses_task(ctx, members, make_task):
    task = make_task(owner=members["admin"].pk)
    assert task_complete(ctx=ctx, task_id=task.pk, version=1).status == "done"


def test_completing_twice_is_refused(ctx, make_task):
    task = make_task()
    task_complete(ctx=ctx, task_id=task.pk, version=1)
    with pytest.raises(ValidationError):
        task_complete(ctx=ctx, task_id=task.pk, version=2)


def test_delete_checks_version_and_logs(ctx, make_task):
    task = make_task()
    with pytest.raises(Conflict):
        task_delete(ctx=ctx, task_id=task.pk, version=5)
    task_delete(ctx=ctx, task_id=task.pk, version=1)
    assert _all(ctx) == []
    assert Event.objects.filter(org=ctx.org, object_id=str(task.pk), action="delete").exists()


def test_foreign_task_is_not_found(ctx, other_org, make_task):
    from aims.orgs.models import Membership

    outsider = ctx_for(other_org, Membership.objects.get(org=other_org).user)
    task = make_task()
    for call in (lambda: task_get(ctx=outsider, task_id=task.pk),
                 lambda: task_complete(ctx=outsider, task_id=task.pk, version=1),
                 lambda: task_update(ctx=outsider, task_id=task.pk, data={"title": "x"},
                                     version=1),
                 lambda: task_delete(ctx=outsider, task_id=task.pk, version=1)):
        with pytest.raises(NotFound):
            call()


# ---------------------------------------------------------------------------- recurrence


def _recurring(make_task, due, every=1, unit="months", **more):
    return make_task(title="Quarterly access review", due_date=due, recurrence_every=every,
                     recurrence_unit=unit, **more)


def test_completing_creates_the_next_occurrence(ctx, members, control, make_task):
    task = _recurring(make_task, D(2025, 3, 31), every=3, owner=members["viewer"].pk,
                      subject=control, priority="high", description="Export the access list.")
    task_complete(ctx=ctx, task_id=task.pk, version=1)
    nxt = task_next(ctx=ctx, task=task)
    assert nxt.ref == "T-002" and nxt.previous_id == task.pk
    assert nxt.due_date == D(2025, 6, 30)
    assert (nxt.owner, nxt.subject_id, nxt.priority, nxt.description, nxt.status) == (
        members["viewer"], control.pk, "high", "Export the access list.", "open")
    assert (nxt.recurrence_every, nxt.recurrence_unit) == (3, "months")
    follows = Event.objects.filter(org=ctx.org, object_id=str(nxt.pk)).get()
    assert follows.changes["follows"]["after"] == task.ref


def test_month_end_series_comes_back_to_the_31st(ctx, make_task):
    task = _recurring(make_task, D(2024, 1, 31))
    dues = []
    for _ in range(3):
        task_complete(ctx=ctx, task_id=task.pk, version=task.version)
        task = task_next(ctx=ctx, task=task)
        dues.append(task.due_date)
    assert dues == [D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30)]


def test_leap_day_yearly(ctx, make_task):
    task = _recurring(make_task, D(2024, 2, 29), every=12)
    task_complete(ctx=ctx, task_id=task.pk, version=1)
    assert task_next(ctx=ctx, task=task).due_date == D(2025, 2, 28)


def test_moving_the_due_date_moves_the_anchor(ctx, make_task):
    task = _recurring(make_task, D(2025, 1, 31))
    task = task_update(ctx=ctx, task_id=task.pk, data={"due_date": D(2025, 2, 15)}, version=1)
    task_complete(ctx=ctx, task_id=task.pk, version=task.version)
    assert task_next(ctx=ctx, task=task).due_date == D(2025, 3, 15)


def test_completing_late_keeps_the_schedule(ctx, make_task):
    due = datetime.date.today() - datetime.timedelta(days=20)
    task = _recurring(make_task, due, every=2, unit="weeks")
    task_complete(ctx=ctx, task_id=task.pk, version=1)
    assert task_next(ctx=ctx, task=task).due_date == due + datetime.timedelta(weeks=2)


def test_cancelling_ends_the_series(ctx, make_task):
    task = _recurring(make_task, D(2025, 5, 1), every=7, unit="days")
    task_update(ctx=ctx, task_id=task.pk, data={"status": "cancelled"}, version=1)
    assert task_next(ctx=ctx, task=task) is None
    assert len(_all(ctx)) == 1
    with pytest.raises(ValidationError):
        task_complete(ctx=ctx, task_id=task.pk, version=2)


def test_reopening_and_completing_again_does_not_duplicate(ctx, make_task):
    task = _recurring(make_task, D(2025, 5, 1), every=1, unit="weeks")
    task_complete(ctx=ctx, task_id=task.pk, version=1, note="First go")
    task = task_update(ctx=ctx, task_id=task.pk, data={"status": "open"}, version=2)
    assert (task.completed_at, task.completed_by, task.completion_note) == (None, None, "")
    task_complete(ctx=ctx, task_id=task.pk, version=task.version)
    assert len(_all(ctx)) == 2
    assert task_next(ctx=ctx, task=task).due_date == D(2025, 5, 8)


def test_one_off_task_has_no_next(ctx, make_task):
    task = make_task(due_date=D(2025, 5, 1))
    task_complete(ctx=ctx, task_id=task.pk, version=1)
    assert len(_all(ctx)) == 1


# ---------------------------------------------------------------------------- evidence requests


def test_evidence_request_owner_must_be_able_to_add_evidence(ctx, members, control):
    for role in ("viewer", "auditor"):
        with pytest.raises(ValidationError) as exc:
            task_create(ctx=ctx, subject=control, data={
                "title": "Upload", "kind": "evidence_request", "owner": members[role].pk})
        assert "owner" in exc.value.errors
        assert f"is a {role}" in exc.value.errors["owner"][0]
        assert "owners, admins and editors" in exc.value.errors["owner"][0]
    for role in ("owner", "admin", "editor"):
        task_create(ctx=ctx, subject=control, data={
            "title": "Upload", "kind": "evidence_request", "owner": members[role].pk})


def test_evidence_request_needs_a_record(ctx, members):
    with pytest.raises(ValidationError) as exc:
        task_create(ctx=ctx, data={"title": "Upload", "kind": "evidence_request"})
    assert "subject_kind" in exc.value.errors


def test_update_keeps_evidence_request_rules(ctx, members, evidence_request, make_task):
    with pytest.raises(ValidationError) as exc:
        task_update(ctx=ctx, task_id=evidence_request.pk,
                    data={"owner": members["viewer"].pk}, version=1)
    assert "owner" in exc.value.errors
    loose = make_task(owner=members["viewer"].pk)
    with pytest.raises(ValidationError) as exc:
        task_update(ctx=ctx, task_id=loose.pk, data={"kind": "evidence_request"}, version=1)
    assert set(exc.value.errors) == {"kind", "owner"}


def test_answer_with_a_file(org, members, control, evidence_request):
    editor = ctx_for(org, members["editor"])
    upload = SimpleUploadedFile("validation-2025.pdf", b"%PDF-1.4 validation results")
    done = task_answer_with_evidence(
        ctx=editor, task_id=evidence_request.pk, version=1, upload=upload,
        data={"kind": "file", "valid_until": D(2030, 1, 1), "completion_note": "Q2 run"})
    assert done.task.status == "done" and done.task.completed_by == members["editor"]
    assert done.task.completion_note.startswith(f"Answered with {done.evidence.ref}")
    assert "Q2 run" in done.task.completion_note
    assert done.evidence.title == evidence_request.title
    assert done.evidence.owner == members["editor"]
    assert evidence_for(ctx=editor, subject=control) == [done.evidence]


def test_answer_with_a_link_or_a_note(ctx, control, evidence_request, make_task, members):
    done = task_answer_with_evidence(ctx=ctx, task_id=evidence_request.pk, version=1, data={
        "url": "https://wiki.example.com/validation", "title": "Validation wiki"})
    assert done.evidence.kind == "link"
    second = make_task(subject=control, kind="evidence_request", owner=members["editor"].pk)
    done = task_answer_with_evidence(ctx=ctx, task_id=second.pk, version=1,
                                     data={"note": "Observed the review on 3 May."})
    assert done.evidence.kind == "note"
    assert len(evidence_for(ctx=ctx, subject=control)) == 2


def test_a_failed_answer_changes_nothing(ctx, control, evidence_request):
    before = Event.objects.filter(org=ctx.org).count()
    with pytest.raises(ValidationError) as exc:
        task_answer_with_evidence(ctx=ctx, task_id=evidence_request.pk, version=1,
                                  data={"kind": "link"})
    assert "url" in exc.value.errors
    assert task_get(ctx=ctx, task_id=evidence_request.pk).status == "open"
    assert evidence_for(ctx=ctx, subject=control) == []
    assert Event.objects.filter(org=ctx.org).count() == before


def test_answer_checks_version_kind_and_state(ctx, evidence_request, make_task):
    with pytest.raises(Conflict):
        task_answer_with_evidence(ctx=ctx, task_id=evidence_request.pk, version=9,
                                  data={"note": "n"})
    review = make_task()
    with pytest.raises(ValidationError) as exc:
        task_answer_with_evidence(ctx=ctx, task_id=review.pk, version=1, data={"note": "n"})
    assert "kind" in exc.value.errors
    task_complete(ctx=ctx, task_id=evidence_request.pk, version=1)
    with pytest.raises(ValidationError):
        task_answer_with_evidence(ctx=ctx, task_id=evidence_request.pk, version=2,
                                  data={"note": "n"})


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_readers_cannot_answer_someone_elses_request(org, members, evidence_request, role):
    with pytest.raises(PermissionDenied):
        task_answer_with_evidence(ctx=ctx_for(org, members[role]), task_id=evidence_request.pk,
                                  version=1, data={"note": "n"})


def test_recurring_evidence_request_comes_back_after_an_answer(ctx, members, control):
    task = task_create(ctx=ctx, subject=control, data={
        "title": "Monthly drift report", "kind": "evidence_request",
        "owner": members["editor"].pk, "due_date": D(2025, 1, 31), "recurrence_every": 1,
        "recurrence_unit": "months"})
    task_answer_with_evidence(ctx=ctx, task_id=task.pk, version=1, data={"note": "January"})
    nxt = task_next(ctx=ctx, task=task)
    assert (nxt.kind, nxt.due_date, nxt.status) == ("evidence_request", D(2025, 2, 28), "open")


def test_summary_counts(ctx, members, make_task):
    from aims.tasks.selectors import task_summary

    make_task(owner=members["editor"].pk, due_date=D(2000, 1, 1))
    make_task(owner=members["admin"].pk, due_date=D(2000, 1, 1))
    make_task(owner=members["editor"].pk)
    done = make_task(owner=members["editor"].pk, due_date=D(2000, 1, 1))
    task_complete(ctx=ctx, task_id=done.pk, version=1)
    s = task_summary(ctx=ctx)
    assert (s.open, s.overdue, s.mine_open, s.mine_overdue) == (3, 2, 2, 1)
