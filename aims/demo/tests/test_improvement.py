import pytest

from aims.accounts.models import User
from aims.activity.services import log_verify
from aims.improvement import selectors
from aims.improvement.models import Incident, Nonconformity
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db


def test_demo_has_the_improvement_loop():
    from aims.demo.build import demo_create

    result = demo_create(password="pw-for-tests-1")
    org = result.org
    ctx = ctx_for(org, User.objects.get(email=result.users["viewer"]))
    if not Incident.objects.for_org(org).exists():  # until `aims demo` calls it itself
        from aims.demo import improvement as demo

        demo.build(ctxs={role: ctx_for(org, User.objects.get(email=email))
                         for role, email in result.users.items()})
    incident = Incident.objects.for_org(org).get(incident_type="drift")
    serious = Incident.objects.for_org(org).get(serious_kind="other")
    assert serious.report_days_left in (12, 13) and not serious.reporting_overdue
    assert incident.incident_type == "drift" and incident.communicated_at is not None
    assert [s.name for s in incident.ai_systems.all()] == ["Credit decision engine"]
    ncs = {n.ref: n for n in selectors.nonconformity_list(ctx=ctx)}
    assert ncs["NC-001"].status == "closed" and ncs["NC-001"].source == "audit_finding"
    assert ncs["NC-001"].verification_result == "effective"
    assert ncs["NC-002"].status == "action_planned" and ncs["NC-002"].actions_overdue == 1
    assert incident.nonconformity == Nonconformity.objects.for_org(org).get(ref="NC-002")
    if Nonconformity.objects.for_org(org).filter(subject_kind="audit_line").exists():
        assert ncs["NC-001"].subject_kind == "audit_line"
        assert ncs["NC-001"].requirement.ref == "A.6.2.6"
    items = list(selectors.improvement_list(ctx=ctx))
    assert len(items) == 3 and {"audit", "monitoring", "suggestion"} == {i.source for i in items}
    assert len(selectors.overdue_actions(ctx=ctx)) == 1
    assert log_verify(org=org).ok
