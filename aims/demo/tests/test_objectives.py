from decimal import Decimal

import pytest

from aims.activity.services import log_verify
from aims.demo.build import demo_create
from aims.objectives.selectors import ObjectiveFilters, monitor_list, objective_list
from aims.orgs.context import Ctx
from aims.orgs.models import Membership

pytestmark = pytest.mark.django_db


def test_demo_objectives_show_every_state():
    org = demo_create(password="pw-for-tests-1").org
    # `aims demo` builds the objectives along with the rest of the demo organisation.
    ctxs = {m.role: Ctx(org=org, user=m.user, role=m.role, actor_label=m.user.email)
            for m in Membership.objects.filter(org=org).select_related("user")}
    objectives = list(objective_list(ctx=ctxs["viewer"]))
    assert len(objectives) == 4
    assert all(4 <= len(o.recent_measurements) <= 8 for o in objectives)
    assert sum(o.track == "off_track" for o in objectives) >= 1
    assert sum(o.track == "on_track" for o in objectives) >= 1
    [late] = [o for o in objectives if o.overdue]
    assert late.track == "on_track" and late.frequency == "monthly"
    assert {s.name for o in objectives for s in o.ai_systems.all()} == {
        "Credit decision engine", "Customer service chatbot"}
    assert {o.owner.email for o in objectives} == {"admin@example.com", "editor@example.com"}
    fairness = objective_list(ctx=ctxs["viewer"], filters=ObjectiveFilters(policy_topic="fairness"))
    assert fairness.get().target == Decimal("0.05")
    monitors = list(monitor_list(ctx=ctxs["viewer"]))
    assert len(monitors) == 4
    assert [m.indicator for m in monitors if m.latest_breached] == ["human_override"]
    assert [m.indicator for m in monitors if m.overdue] == ["accuracy"]
    assert log_verify(org=org).ok
