"""Risks carry risk sources from the OWASP Top 10 for LLM applications (a taxonomy in the
catalog), set through the service, the API and the form, logged, and filterable."""

import pytest

from aims.activity.models import Event
from aims.core.errors import ValidationError
from aims.risks.selectors import RiskFilters, risk_list
from aims.risks.services import risk_update

pytestmark = pytest.mark.django_db


def test_tags_are_set_changed_logged_and_filtered(ctx, make_risk):
    risk = make_risk(source_tags=["llm01", "LLM07"])
    assert [t.ref for t in risk.source_tags.order_by("sort_key")] == ["LLM01", "LLM07"]
    other = make_risk(title="Agent books refunds on its own", source_tags=["LLM06"])
    assert [r.ref for r in risk_list(ctx=ctx, filters=RiskFilters(source_tag="LLM01"))] == [
        risk.ref]
    risk = risk_update(ctx=ctx, risk_id=risk.pk, data={"source_tags": ["LLM02"]},
                       version=risk.version)
    assert [t.ref for t in risk.source_tags.all()] == ["LLM02"]
    event = Event.objects.filter(object_id=risk.pk, action="update").latest("seq")
    assert event.changes["source_tags"] == {"before": ["LLM01", "LLM07"], "after": ["LLM02"]}
    assert [r.ref for r in risk_list(ctx=ctx, filters=RiskFilters(source_tag="LLM06"))] == [
        other.ref]


@pytest.mark.parametrize("bad", [["LLM11"], ["A.5.2"], "LLM01", [1]])
def test_only_the_taxonomy(make_risk, bad):
    with pytest.raises(ValidationError) as exc:
        make_risk(source_tags=bad)
    assert "source_tags" in exc.value.errors


def test_api_and_pages(org, api, members, web_client_for):
    base = f"/api/v1/orgs/{org.slug}/risks"
    r = api.post(base, {"title": "Prompt injection through uploaded files", "category": "security",
                        "source_tags": ["LLM01"]})
    assert r.status_code == 201 and r.json()["source_tags"] == ["LLM01"]
    assert api.get(base, {"source_tag": "LLM01"}).json()["count"] == 1
    assert api.get(base, {"source_tag": "LLM09"}).json()["count"] == 0
    bad = api.post(base, {"title": "X", "category": "bias", "source_tags": ["LLM99"]})
    assert bad.status_code == 422 and "source_tags" in bad.content.decode()
    c = web_client_for(members["viewer"])
    listed = c.get(f"/o/{org.slug}/risks/?source_tag=LLM01").content.decode()
    assert "Prompt injection through uploaded files" in listed and "Any source" in listed
    detail = c.get(f"/o/{org.slug}/risks/{r.json()['id']}/").content.decode()
    assert "LLM01 Prompt injection" in detail
