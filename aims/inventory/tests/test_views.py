import pytest

from aims.inventory.models import AISystem
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Fraud detection", "intended_purpose": "Flags suspicious card payments.",
    "lifecycle_stage": "development", "status": "active", "roles": ["developer", "deployer"],
    "in_scope": "on", "eu_risk_class": "minimal", "owner": "",
}


def test_editor_adds_a_system_through_the_form(org, members, web_client_for):
    c = web_client_for(members["editor"])
    r = c.post(f"/o/{org.slug}/ai-systems/new/", FORM)
    system = AISystem.objects.for_org(org).get()
    assert r.status_code == 302 and r.url.endswith(f"/ai-systems/{system.pk}/")
    page = c.get(r.url).content.decode()
    assert "Fraud detection" in page and "Flags suspicious card payments." in page


def test_invalid_form_is_422_with_the_message_next_to_the_field(org, members, web_client_for):
    c = web_client_for(members["editor"])
    r = c.post(f"/o/{org.slug}/ai-systems/new/", {**FORM, "in_scope": "", "scope_justification": "-"})
    assert r.status_code == 422
    assert "placeholder, not a justification" in r.content.decode()
    assert not AISystem.objects.for_org(org).exists()


def test_stale_edit_shows_current_values_and_keeps_the_newer_change(org, members, ctx,
                                                                   web_client_for):
    system = make_ai_system(ctx, name="Chatbot")
    from aims.inventory.services import ai_system_update
    ai_system_update(ctx=ctx, system_id=system.pk, data={"business_unit": "Ops"}, version=1)
    c = web_client_for(members["admin"])
    r = c.post(f"/o/{org.slug}/ai-systems/{system.pk}/edit/",
               {**FORM, "name": "Chatbot", "business_unit": "Sales", "version": 1})
    assert r.status_code == 409
    body = r.content.decode()
    assert "changed by someone else" in body and "Ops" in body
    system.refresh_from_db()
    assert system.business_unit == "Ops"
    # The re-rendered form now carries the current version: saving again is deliberate.
    assert 'name="version" value="2"' in body


def test_list_filters_and_empty_states(org, members, ctx, web_client_for):
    c = web_client_for(members["viewer"])
    body = c.get(f"/o/{org.slug}/ai-systems/").content.decode()
    assert "No AI systems yet" in body and "Add the first AI system" not in body
    make_ai_system(ctx, name="Chatbot", eu_risk_class="limited")
    make_ai_system(ctx, name="Credit engine", eu_risk_class="high")
    body = c.get(f"/o/{org.slug}/ai-systems/?eu_risk_class=high").content.decode()
    assert "Credit engine" in body and "Chatbot" not in body
    body = c.get(f"/o/{org.slug}/ai-systems/?q=zzz").content.decode()
    assert "No AI system matches" in body


def test_viewer_cannot_open_the_create_form(org, members, web_client_for):
    c = web_client_for(members["viewer"])
    assert c.get(f"/o/{org.slug}/ai-systems/new/").status_code == 403
    assert c.post(f"/o/{org.slug}/ai-systems/new/", FORM).status_code == 403
    assert not AISystem.objects.for_org(org).exists()


def test_retire_and_delete_buttons(org, members, ctx, web_client_for):
    system = make_ai_system(ctx)
    c = web_client_for(members["editor"])
    r = c.post(f"/o/{org.slug}/ai-systems/{system.pk}/retire/", {"version": 1})
    assert r.status_code == 302
    system.refresh_from_db()
    assert system.status == "retired"
    # Retiring is a lifecycle move: the system now has a history that must be kept.
    r = c.post(f"/o/{org.slug}/ai-systems/{system.pk}/delete/", {"version": 2})
    assert r.status_code == 422 and b"lifecycle records" in r.content
    mistake = make_ai_system(ctx, name="Entered by mistake")
    # A stale version on delete is refused with an explanation, nothing deleted.
    r = c.post(f"/o/{org.slug}/ai-systems/{mistake.pk}/delete/", {"version": 2})
    assert r.status_code == 409 and b"Not saved" in r.content
    r = c.post(f"/o/{org.slug}/ai-systems/{mistake.pk}/delete/", {"version": 1})
    assert r.status_code == 302
    assert list(AISystem.objects.for_org(org)) == [system]


def test_system_page_shows_the_objectives_that_concern_it(org, members, ctx, web_client_for):
    """6.2 / 9.1 traceability: the AI system's page lists its objectives and where they stand."""
    from aims.objectives.services import measurement_create, objective_create

    system = make_ai_system(ctx, name="Credit engine")
    other = make_ai_system(ctx, name="Chat assistant")
    common = {"policy_topic": "fairness", "metric": "Approval-rate gap between age bands.",
              "target": "0.05", "unit": "ratio", "direction": "lower",
              "frequency": "quarterly", "due_date": "2030-12-31"}
    ours = objective_create(ctx=ctx, data={**common, "title": "Keep the approval gap small",
                                           "ai_systems": [system.pk]})
    objective_create(ctx=ctx, data={**common, "title": "Answer within two seconds",
                                    "ai_systems": [other.pk]})
    measurement_create(ctx=ctx, objective_id=ours.pk,
                       data={"measured_on": "2025-06-30", "value": "0.08"})
    page = web_client_for(members["viewer"]).get(
        f"/o/{org.slug}/ai-systems/{system.pk}/?tab=objectives").content.decode()
    assert "AI objectives" in page
    assert "Keep the approval gap small" in page and "Answer within two seconds" not in page
    assert f"/o/{org.slug}/objectives/{ours.pk}/" in page
    assert "0.08 ratio" in page and "Off track" in page
    empty = web_client_for(members["editor"]).get(
        f"/o/{org.slug}/ai-systems/{other.pk}/?tab=objectives").content.decode()
    assert "Answer within two seconds" in empty and "Keep the approval gap small" not in empty
