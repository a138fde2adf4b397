import pytest

from aims.demo import people as demo
from aims.people import selectors
from aims.testing.factories import ctx_for, make_ai_system

pytestmark = pytest.mark.django_db


def test_demo_roles_training_and_gap(org, members):
    ctxs = {role: ctx_for(org, user) for role, user in members.items()}
    make_ai_system(ctxs["editor"], name="Credit decision engine")
    demo.build(ctxs=ctxs)
    owner = ctxs["owner"]
    assert selectors.role_holders(ctx=owner, code="top_management") == [members["owner"]]
    assert selectors.role_holders(ctx=owner, code="internal_auditor") == [members["auditor"]]
    gaps = selectors.competence_gaps(ctx=owner)
    assert {(g.member, g.role.code) for g in gaps} == {
        (members["editor"], "system_owner"), (members["editor"], "data_steward")}
    assert all(g.lapsed.topic == "Fairness testing of credit models" for g in gaps)
    cover = selectors.roles_covering(ctx=owner, user=members["editor"])
    assert [s.name for s in cover.ai_systems] == ["Credit decision engine"]
    assert selectors.concern_channel_get(ctx=owner).version == 1
