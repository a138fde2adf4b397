import pytest

from aims.accounts.models import User
from aims.activity.services import log_verify
from aims.compliance.selectors import soa_item_get
from aims.demo import risks as demo
from aims.risks.models import Risk, TreatmentAction
from aims.risks.selectors import risk_list
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db


def test_demo_register_is_realistic():
    from aims.demo.build import demo_create

    result = demo_create(password="pw-for-tests-1")
    org = result.org
    ctxs = {role: ctx_for(org, User.objects.get(email=email))
            for role, email in result.users.items()}
    if not Risk.objects.for_org(org).exists():  # until `aims demo` calls it itself
        demo.build(ctxs=ctxs)
    risks = list(risk_list(ctx=ctxs["viewer"]))
    assert len(risks) >= 10
    assert {"bias", "security", "drift", "privacy", "third_party", "robustness",
            "misuse"} <= {r.category for r in risks}
    assert all(r.ai_systems.all() for r in risks)
    systems = {s.name for r in risks for s in r.ai_systems.all()}
    assert {"Credit decision engine", "CV screening assistant", "Customer service chatbot",
            "Card fraud detection", "Developer coding assistant"} <= systems
    accepted = [r for r in risks if r.acceptance_required and r.accepted_at]
    assert len(accepted) == 1 and accepted[0].accepted_by == accepted[0].owner
    assert len([r for r in risks if r.awaiting_signoff]) >= 1
    overdue = [a for a in TreatmentAction.objects.for_org(org) if a.overdue]
    assert len(overdue) == 1
    assert any(r.review_overdue for r in risks)
    for ref in {c.requirement.ref for r in risks for c in r.controls.all()}:
        assert soa_item_get(ctx=ctxs["viewer"], ref=ref).applicable is True
    assert log_verify(org=org).ok
