"""The lifecycle through the API and the web pages; the rules themselves are in
test_lifecycle.py."""

import pytest

from aims.inventory.models import LifecycleRecord
from aims.inventory.services import ai_system_stage_change
from aims.inventory.tests.conftest import add_rated_risk, approve_assessment
from aims.testing.factories import ctx_for, make_ai_system

pytestmark = pytest.mark.django_db


def test_api_gate_refusal_approval_and_move(org, members, ctx, admin_ctx, api,
                                            api_client_for):
    system = make_ai_system(ctx, name="Collections model", lifecycle_stage="verification")
    base = f"/api/v1/orgs/{org.slug}/ai-systems/{system.pk}"
    gate = api.get(f"{base}/gate").json()
    assert (gate["to_stage"], gate["gated"], gate["passed"]) == ("deployed", True, False)
    assert [c["key"] for c in gate["checks"]] == ["impact_assessment", "risks", "approval"]
    assert len(gate["missing"]) == 3
    assert gate["checks"][1]["problems"][0]["url"].startswith(f"/o/{org.slug}/risks/new/")
    assert api.get(f"{base}/gate", {"to": "retired"}).json()["gated"] is False
    assert api.get(f"{base}/gate", {"to": "nowhere"}).status_code == 422

    r = api.post(f"{base}/stage", {"to_stage": "deployed", "version": 1})
    assert r.status_code == 422
    assert r.json()["errors"]["lifecycle_stage"] == gate["missing"]

    approve_assessment(ctx, admin_ctx, system)
    add_rated_risk(ctx, system)
    # Editors may not approve; admins may.
    assert api.post(f"{base}/deployment-approvals", {"version": 1}).status_code == 403
    admin = api_client_for(members["admin"])
    r = admin.post(f"{base}/deployment-approvals", {"version": 1, "note": "Pilot reviewed."})
    assert r.status_code == 201, r.content
    assert (r.json()["valid"], r.json()["note"], r.json()["ended_reason"]) == (
        True, "Pilot reviewed.", "")
    assert api.get(f"{base}/deployment-approvals").json()["count"] == 1

    r = api.post(f"{base}/stage", {"to_stage": "deployed", "version": 1, "note": "Go live."})
    assert r.status_code == 200, r.content
    assert (r.json()["lifecycle_stage"], r.json()["version"]) == ("deployed", 2)
    history = api.get(f"{base}/lifecycle").json()
    assert history["count"] == 1
    move = history["items"][0]
    assert (move["from_stage"], move["to_stage"], move["note"]) == (
        "verification", "deployed", "Go live.")
    assert move["approval"] == api.get(f"{base}/deployment-approvals").json()["items"][0]["id"]
    # The same stage again is refused; a stale version is a conflict.
    assert api.post(f"{base}/stage", {"to_stage": "deployed", "version": 2}).status_code == 422
    assert api.post(f"{base}/stage", {"to_stage": "retired", "version": 1}).status_code == 409
    viewer = api_client_for(members["viewer"])
    assert viewer.post(f"{base}/stage", {"to_stage": "retired", "version": 2}).status_code == 403


def test_patch_cannot_bypass_the_gate(org, ctx, api):
    system = make_ai_system(ctx, lifecycle_stage="development")
    r = api.patch(f"/api/v1/orgs/{org.slug}/ai-systems/{system.pk}",
                  {"version": 1, "lifecycle_stage": "deployed"})
    assert r.status_code == 422 and len(r.json()["errors"]["lifecycle_stage"]) == 3
    r = api.patch(f"/api/v1/orgs/{org.slug}/ai-systems/{system.pk}",
                  {"version": 1, "status": "retired"})
    assert r.status_code == 200 and r.json()["lifecycle_stage"] == "retired"
    assert LifecycleRecord.objects.for_org(org).get().to_stage == "retired"


def test_system_page_shows_the_checklist_and_actions_by_role(org, members, ctx, admin_ctx,
                                                             web_client_for):
    system = make_ai_system(ctx, name="Collections model", lifecycle_stage="verification")
    page = web_client_for(members["admin"]).get(f"/o/{org.slug}/ai-systems/{system.pk}/")
    body = page.content.decode()
    assert "Before it can move to Deployed" in body
    assert body.count('class="gate-item bad"') == 3
    assert f"/o/{org.slug}/impact-assessments/new/?system={system.pk}" in body
    assert f"/o/{org.slug}/risks/new/?system={system.pk}" in body
    assert "Approve deploying Collections model" in body and "Record the move" in body
    editor_body = web_client_for(members["editor"]).get(
        f"/o/{org.slug}/ai-systems/{system.pk}/").content.decode()
    assert "Approve deploying" not in editor_body and "Ask an owner or admin" in editor_body
    assert "Record the move" in editor_body
    viewer_body = web_client_for(members["viewer"]).get(
        f"/o/{org.slug}/ai-systems/{system.pk}/").content.decode()
    assert "Record the move" not in viewer_body and "Approve deploying" not in viewer_body

    approve_assessment(ctx, admin_ctx, system)
    add_rated_risk(ctx, system)
    body = web_client_for(members["admin"]).get(
        f"/o/{org.slug}/ai-systems/{system.pk}/").content.decode()
    assert body.count('class="gate-item ok"') == 2


def test_web_refusal_lists_the_missing_items_next_to_the_stage(org, members, ctx, admin_ctx,
                                                               web_client_for):
    system = make_ai_system(ctx, name="Collections model", lifecycle_stage="verification")
    editor = web_client_for(members["editor"])
    url = f"/o/{org.slug}/ai-systems/{system.pk}/stage/"
    r = editor.post(url, {"lifecycle_stage": "deployed", "version": 1, "note": "Go"})
    assert r.status_code == 422
    body = r.content.decode()
    assert body.count("Impact assessment: Collections model has no approved") >= 1
    assert 'id="id_lifecycle_stage_error"' in body
    # The edit form takes the same road.
    r = editor.post(f"/o/{org.slug}/ai-systems/{system.pk}/edit/", {
        "name": system.name, "intended_purpose": system.intended_purpose,
        "lifecycle_stage": "deployed", "status": "active", "roles": ["developer"],
        "in_scope": "on", "eu_risk_class": system.eu_risk_class, "owner": "", "version": 1})
    assert r.status_code == 422 and "Deployment approval: nobody has approved" in \
        r.content.decode()

    approve_assessment(ctx, admin_ctx, system)
    add_rated_risk(ctx, system)
    system.refresh_from_db()
    admin = web_client_for(members["admin"])
    assert editor.post(f"/o/{org.slug}/ai-systems/{system.pk}/approve/",
                       {"version": system.version}).status_code == 403
    r = admin.post(f"/o/{org.slug}/ai-systems/{system.pk}/approve/",
                   {"version": system.version, "note": "Pilot reviewed."})
    assert r.status_code == 302 and r.url.endswith("#lifecycle")
    r = editor.post(url, {"lifecycle_stage": "deployed", "version": system.version,
                          "note": "Go-live after the pilot."})
    assert r.status_code == 302
    body = editor.get(f"/o/{org.slug}/ai-systems/{system.pk}/").content.decode()
    assert "Go-live after the pilot." in body and "3 checks met" in body
    assert "Deployment checks: does it still meet them?" in body
    lifecycle = editor.get(f"/o/{org.slug}/ai-systems/{system.pk}/lifecycle/").content.decode()
    assert "Pilot reviewed." in lifecycle and "Stands" in lifecycle


def test_history_says_where_the_system_started(org, members, ctx, web_client_for):
    system = make_ai_system(ctx, lifecycle_stage="concept")
    owner = ctx_for(org, members["owner"])
    ai_system_stage_change(ctx=owner, system_id=system.pk, to_stage="design", version=1,
                           note="Design review passed.")
    body = web_client_for(members["viewer"]).get(
        f"/o/{org.slug}/ai-systems/{system.pk}/").content.decode()
    assert "Design review passed." in body and "at Concept" in body
