import pytest

from aims.activity.services import log_verify
from aims.demo.build import demo_create
from aims.evidence.selectors import evidence_for
from aims.orgs.context import Ctx
from aims.orgs.models import Membership
from aims.suppliers import selectors

pytestmark = pytest.mark.django_db


def test_demo_suppliers_show_every_state():
    org = demo_create(password="pw-for-tests-1").org
    ctxs = {m.role: Ctx(org=org, user=m.user, role=m.role, actor_label=m.user.email)
            for m in Membership.objects.filter(org=org).select_related("user")}
    parties = {s.name: s for s in selectors.supplier_list(ctx=ctxs["viewer"])}
    assert len(parties) == 4
    llm = parties["Stratus Language Models Ltd"]
    assert llm.rating == "medium" and llm.concern_count == 1 and llm.review_state == "current"
    bureau = parties["Continental Credit Reference Bureau"]
    assert bureau.overdue and bureau.kind == "supplier" and "dataset" in bureau.supplies
    ocr = parties["PaperTrail Document AI"]
    assert ocr.supplies == ["ai_saas"] and ocr.review_state == "never"
    broker = parties["Bayside Motor Finance Brokers"]
    assert broker.kind == "customer"
    rows = list(selectors.responsibility_list(ctx=ctxs["viewer"], supplier_id=broker.pk))
    assert {r.responsible for r in rows} == {"us", "customer", "shared"}
    assert {s.name for s in broker.ai_systems.all()} == {"Credit decision engine"}
    assert len(evidence_for(ctx=ctxs["viewer"], subject=llm)) == 1
    assert log_verify(org=org).ok
