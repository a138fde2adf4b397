"""Treatment ↔ SoA: a control linked to a risk applies in the SoA, and the SoA names the risk."""

import pytest

from aims.activity.models import Event
from aims.compliance.selectors import soa_item_get, soa_list
from aims.compliance.services import compliance_item_update
from aims.risks.services import risk_delete, risk_update

pytestmark = pytest.mark.django_db

JUSTIFICATION = ("We run no AI system in production that needs operational monitoring beyond "
                 "the vendor's own service reports.")


def _item_events(org, item):
    return list(Event.objects.filter(org=org, object_id=str(item.pk)).order_by("seq"))


def test_linking_an_undecided_control_makes_it_applicable_for_risk_treatment(ctx, make_risk):
    risk = make_risk(controls=["A.6.2.6"])
    item = soa_item_get(ctx=ctx, ref="A.6.2.6")
    assert item.applicable is True and item.inclusion_reason == "risk_treatment"
    assert "R-001" in item.justification
    (event,) = _item_events(ctx.org, item)
    assert event.changes["applicable"] == {"before": None, "after": True}
    assert event.changes["inclusion_reason"]["after"] == "risk_treatment"
    assert [r.ref for r in item.risks.all()] == [risk.ref]


def test_linking_an_excluded_control_includes_it_and_the_log_shows_it(ctx, make_risk):
    compliance_item_update(ctx=ctx, ref="A.10.4", version=1, data={
        "applicable": False, "justification": JUSTIFICATION})
    make_risk(controls=["A.10.4"])
    item = soa_item_get(ctx=ctx, ref="A.10.4")
    assert (item.applicable, item.inclusion_reason) == (True, "risk_treatment")
    assert item.justification.startswith("Selected to treat risk R-001")
    last = _item_events(ctx.org, item)[-1]
    assert last.changes["applicable"] == {"before": False, "after": True}
    assert last.changes["justification"]["before"] == JUSTIFICATION
    assert last.actor_label == ctx.user.email


def test_a_control_applicable_for_another_reason_keeps_it(ctx, make_risk):
    compliance_item_update(ctx=ctx, ref="A.6.2.4", version=1, data={
        "applicable": True, "inclusion_reason": "legal",
        "justification": "Supervisors expect independent validation of credit models."})
    make_risk(controls=["A.6.2.4"])
    item = soa_item_get(ctx=ctx, ref="A.6.2.4")
    assert (item.applicable, item.inclusion_reason, item.version) == (True, "legal", 2)
    assert [r.ref for r in item.risks.all()] == ["R-001"]


def test_linking_on_update_marks_only_the_new_controls(ctx, make_risk):
    risk = make_risk(controls=["A.7.4"])
    before = soa_item_get(ctx=ctx, ref="A.7.4").version
    risk_update(ctx=ctx, risk_id=risk.pk, version=1, data={"controls": ["A.7.4", "A.7.6"]})
    assert soa_item_get(ctx=ctx, ref="A.7.4").version == before
    assert soa_item_get(ctx=ctx, ref="A.7.6").inclusion_reason == "risk_treatment"
    event = Event.objects.filter(org=ctx.org, object_id=str(risk.pk), action="update").get()
    assert event.changes["controls"] == {"before": ["A.7.4"], "after": ["A.7.4", "A.7.6"]}


def test_unlinking_does_not_silently_exclude(ctx, make_risk):
    risk = make_risk(controls=["A.6.2.6", "A.7.4"])
    item = soa_item_get(ctx=ctx, ref="A.6.2.6")
    events = len(_item_events(ctx.org, item))
    risk_update(ctx=ctx, risk_id=risk.pk, version=1, data={"controls": ["A.7.4"]})
    item = soa_item_get(ctx=ctx, ref="A.6.2.6")
    assert (item.applicable, item.inclusion_reason) == (True, "risk_treatment")
    assert len(_item_events(ctx.org, item)) == events  # the SoA decision was not touched
    assert list(item.risks.all()) == []
    risk_delete(ctx=ctx, risk_id=risk.pk, version=2)
    assert soa_item_get(ctx=ctx, ref="A.7.4").applicable is True


def test_soa_list_api_and_page_name_the_linked_risks(ctx, make_risk, api, members,
                                                     web_client_for):
    make_risk(controls=["A.6.2.6"])
    make_risk(title="Drift", category="drift", controls=["A.6.2.6"])
    rows = {i.requirement.ref: [r.ref for r in i.risks.all()] for i in soa_list(ctx=ctx)}
    assert rows["A.6.2.6"] == ["R-001", "R-002"] and rows["A.5.2"] == []
    body = api.get(f"/api/v1/orgs/{ctx.org.slug}/soa").json()
    by_ref = {i["ref"]: i for i in body}
    assert [r["ref"] for r in by_ref["A.6.2.6"]["risks"]] == ["R-001", "R-002"]
    assert api.get(f"/api/v1/orgs/{ctx.org.slug}/soa/A.6.2.6").json()["risks"][1]["title"] == \
        "Drift"
    page = web_client_for(members["viewer"]).get(f"/o/{ctx.org.slug}/soa/").content.decode()
    row = page[page.index('id="ctl-A.6.2.6"'):]
    row = row[:row.index("</tr>")]
    assert "Risk treatment" in row and ">R-001</a>" in row and ">R-002</a>" in row


def test_soa_row_flags_risk_treatment_without_a_linked_risk(ctx, make_risk, members,
                                                            web_client_for):
    risk = make_risk(controls=["A.6.2.6"])
    risk_update(ctx=ctx, risk_id=risk.pk, version=1, data={"controls": []})
    row = web_client_for(members["viewer"]).get(
        f"/o/{ctx.org.slug}/soa/A.6.2.6/row/").content.decode()
    assert "No risk links it yet" in row
