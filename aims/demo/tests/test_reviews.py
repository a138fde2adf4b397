import datetime

import pytest
from django.utils import timezone

from aims.accounts.models import User
from aims.activity.services import log_verify
from aims.demo.reviews import MINUTES
from aims.reviews import selectors
from aims.reviews.inputs import INPUTS
from aims.tasks.models import Task, TaskKind
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db


def test_demo_holds_a_review_that_reads_the_record_and_plans_the_next():
    from aims.demo.build import demo_create

    result = demo_create(password="pw-for-tests-1")
    org = result.org
    viewer = ctx_for(org, User.objects.get(email=result.users["viewer"]))
    today = timezone.localdate()
    next_one, held = selectors.review_list(ctx=viewer)
    assert (held.ref, held.status, held.meeting_date) == ("MR-001", "held", today)
    assert (next_one.ref, next_one.status) == ("MR-002", "planned")
    assert next_one.meeting_date == today + datetime.timedelta(days=182)
    assert next_one.period_start == today

    held = selectors.review_get(ctx=viewer, review_id=held.pk)
    assert held.recorded_by.email == result.users["owner"] and held.conclusions
    items = {i.key: i for i in held.items.all()}
    assert list(items) == [i.key for i in INPUTS]
    assert all(items[key].minutes == text for key, text in MINUTES.items())
    # The agenda read the demo's record: its breached monitor, its nonconformities and its
    # incident are on it.
    assert any(r["flag"] == "bad" for r in items["monitoring"].inputs["rows"])
    assert items["nonconformities"].inputs["rows"]
    assert items["incidents"].inputs["rows"]
    assert items["previous_actions"].inputs["rows"] == []  # the first review

    decisions = list(held.decisions.all())
    assert [d.kind for d in decisions] == ["resources", "change", "other"]
    actions = [d.task for d in decisions if d.task]
    assert [(t.kind, t.owner.email) for t in actions] == [
        (TaskKind.REVIEW_ACTION, result.users["admin"]),
        (TaskKind.REVIEW_ACTION, result.users["editor"])]
    assert Task.objects.for_org(org).filter(kind=TaskKind.REVIEW_ACTION).count() == 2
    # The planned review follows those actions up; read as of its date, half a year on,
    # both are past their due dates unless done by then.
    follow_up = next_one.items.get(key="previous_actions").inputs
    assert follow_up["summary"] == ("2 actions from earlier reviews: 0 done, 0 open, "
                                    "2 overdue.")
    assert log_verify(org=org).ok
