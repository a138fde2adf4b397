import pytest

from aims.activity.services import log_verify
from aims.demo import documents as demo
from aims.documents import selectors
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db


def test_demo_documents_at_every_stage(org, members):
    ctxs = {role: ctx_for(org, user) for role, user in members.items()}
    demo.build(ctxs=ctxs)
    viewer = ctxs["viewer"]
    docs = {d.title: d for d in selectors.document_list(ctx=viewer)}
    policy = docs["AI policy"]
    v2 = selectors.version_in_force(ctx=viewer, document=policy)
    assert v2.number == 2 and v2.approved_by == members["owner"]
    assert "Generative AI" in v2.content and "Northwind Lending" in v2.content
    v1 = selectors.version_list(ctx=viewer, document_id=policy.pk).get(number=1)
    assert v1.status == "superseded" and v1.superseded_at == v2.effective_from
    assert selectors.version_in_force(ctx=viewer, document=policy, on=v1.effective_from).pk == v1.pk
    assert docs["AI risk assessment methodology"].approved_number == 1
    assert not docs["AI risk assessment methodology"].review_overdue
    assert docs["Generative AI acceptable use policy"].review_overdue
    assert docs["AI system impact assessment procedure"].open_status == "in_review"
    assert docs["AI system life cycle procedure"].open_status == "draft"
    assert [d.title for d in docs.values() if d.review_overdue] == [
        "Generative AI acceptable use policy"]
    assert log_verify(org=org).ok
