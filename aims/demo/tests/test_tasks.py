import pytest

from aims.accounts.models import User
from aims.activity.services import log_verify
from aims.demo import tasks as demo
from aims.evidence.selectors import evidence_for
from aims.tasks.models import Task
from aims.tasks.selectors import TaskFilters, task_list
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db


def test_demo_work_is_realistic():
    from aims.demo.build import demo_create

    result = demo_create(password="pw-for-tests-1")
    org = result.org
    ctxs = {role: ctx_for(org, User.objects.get(email=email))
            for role, email in result.users.items()}
    if not Task.objects.for_org(org).filter(title__startswith="Quarterly access").exists():
        demo.build(ctxs=ctxs)  # until `aims demo` calls it itself
    viewer = ctxs["viewer"]
    reviews = list(task_list(ctx=viewer, filters=TaskFilters(q="Quarterly access review")))
    assert [t.status for t in reviews] == ["open", "done"]
    assert reviews[0].previous_id == reviews[1].pk and reviews[0].recurs
    requests = list(task_list(ctx=viewer, filters=TaskFilters(kind="evidence_request")))
    assert {t.status for t in requests} >= {"open", "done"}
    assert any(t.overdue for t in requests)
    answered = next(t for t in requests if t.status == "done")
    from aims.records.kinds import record_get

    control = record_get(ctx=viewer, kind=answered.subject_kind, pk=answered.subject_id)
    assert evidence_for(ctx=viewer, subject=control)
    editor_overdue = task_list(ctx=ctxs["editor"], filters=TaskFilters(owner="me", overdue=True))
    assert editor_overdue.exists()
    assert log_verify(org=org).ok
