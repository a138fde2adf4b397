import pytest

from aims.activity.services import log_verify
from aims.audits import selectors
from aims.demo import audits as demo
from aims.demo import content
from aims.inventory.services import ai_system_create
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db


def test_demo_programme_has_a_reported_audit_with_findings_and_gaps(org, members):
    ctxs = {role: ctx_for(org, user) for role, user in members.items()}
    for spec in content.AI_SYSTEMS:
        ai_system_create(ctx=ctxs["editor"], data={**spec, "owner": members[spec["owner"]].pk},
                         as_history=True)
    demo.build(ctxs=ctxs)

    viewer = ctxs["viewer"]
    programme = selectors.programme_list(ctx=viewer).get()
    assert programme.months == 12
    reported, planned = sorted(selectors.audit_list(ctx=viewer), key=lambda a: a.number)
    assert (reported.status, planned.status) == ("reported", "planned")
    findings = sorted(f.result for f in selectors.finding_list(ctx=viewer))
    assert findings == ["minor_nc", "observation", "ofi"]
    assert selectors.result_counts(ctx=viewer, audit=reported)["not_assessed"] == 0
    cov = selectors.programme_coverage(ctx=viewer, programme=programme)
    assert cov.counts["covered"] > 0 and cov.counts["planned"] > 0
    assert cov.counts["missing"] > 0  # the cycle still has gaps to plan for
    warnings = selectors.audit_independence(ctx=viewer, audit=planned)
    assert any("CV screening assistant" in w.message for w in warnings)
    assert log_verify(org=org).ok
