import pytest

from aims.activity.services import log_verify
from aims.demo import content
from aims.demo import impact as impact_demo
from aims.demo import inventory as demo
from aims.demo import risks as risks_demo
from aims.inventory.gates import deployment_checks
from aims.inventory.selectors import (
    ResourceFilters,
    ai_system_list,
    deployment_approval_current,
    lifecycle_record_list,
    resource_list,
)
from aims.inventory.services import ai_system_create
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db


def test_demo_lifecycle_approvals_and_resources(org, members):
    ctxs = {role: ctx_for(org, user) for role, user in members.items()}
    for spec in content.AI_SYSTEMS:
        ai_system_create(ctx=ctxs["editor"], data={**spec, "owner": members[spec["owner"]].pk},
                         as_history=True)
    risks_demo.build(ctxs=ctxs)
    impact_demo.build(ctxs=ctxs)
    demo.build(ctxs=ctxs)

    viewer = ctxs["viewer"]
    systems = {s.name: s for s in ai_system_list(ctx=viewer)}
    for name, system in systems.items():
        moves = list(lifecycle_record_list(ctx=viewer, system=system))
        assert moves and moves[0].to_stage == system.lifecycle_stage, name
        approval = deployment_approval_current(ctx=viewer, system=system)
        assert (approval is not None) == (system.lifecycle_stage == "deployed"), name
    credit = systems["Credit decision engine"]
    assert deployment_approval_current(ctx=viewer, system=credit).is_valid
    fraud = deployment_approval_current(ctx=viewer, system=systems["Card fraud detection"])
    assert fraud.ended_reason == "a significant change was recorded"
    collections = deployment_checks(ctx=viewer, system=systems["Collections prioritisation model"])
    assert [c.ok for c in collections.checks] == [False, False, False]
    assert any("was due for review" in m for m in collections.problems)

    kinds = {r.kind for r in resource_list(ctx=viewer)}
    assert kinds == {"data", "tooling", "computing", "human"}
    assert resource_list(ctx=viewer, filters=ResourceFilters(ai_system=str(credit.pk))).count() >= 4
    assert log_verify(org=org).ok
