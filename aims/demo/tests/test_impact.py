import pytest

from aims.activity.services import log_verify
from aims.demo import content
from aims.demo import impact as demo
from aims.impact import selectors
from aims.impact.models import Status
from aims.inventory.services import ai_system_create
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db


def test_demo_has_approved_overdue_draft_and_flagged_assessments(org, members):
    ctxs = {role: ctx_for(org, user) for role, user in members.items()}
    for spec in content.AI_SYSTEMS:
        ai_system_create(ctx=ctxs["editor"], data={**spec, "owner": members[spec["owner"]].pk},
                         as_history=True)
    demo.build(ctxs=ctxs)

    by_system = {}
    for a in selectors.assessment_list(ctx=ctxs["viewer"]):
        by_system[a.ai_system.name] = a
    credit = by_system["Credit decision engine"]
    assert credit.status == Status.APPROVED and not credit.is_overdue
    assert (credit.author, credit.approved_by) == (members["editor"], members["admin"])
    impacts = list(credit.impacts.all())
    assert 4 <= len(impacts) <= 5
    assert [i.linked_risk.title for i in impacts if i.linked_risk] == [
        "Thin-file applicants referred or declined unfairly"]
    cv = by_system["CV screening assistant"]
    assert cv.is_overdue and cv.state == Status.NEEDS_REASSESSMENT
    assert by_system["Customer service chatbot"].status == Status.DRAFT
    fraud = by_system["Card fraud detection"]
    assert fraud.status == Status.NEEDS_REASSESSMENT
    assert "graph-based model" in fraud.reassessment_reason
    assert log_verify(org=org).ok
