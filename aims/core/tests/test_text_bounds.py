"""Free text is bounded whichever door it comes through: 4xx naming the field and the limit."""

import pytest

from aims.core.api import MAX_TEXT
from aims.core.errors import ValidationError

pytestmark = pytest.mark.django_db

MEGABYTE = "x" * (1024 * 1024)


def test_a_web_form_refuses_a_megabyte_of_text_naming_the_field(org, members, web_client_for):
    from aims.inventory.models import AISystem

    c = web_client_for(members["editor"])
    r = c.post(f"/o/{org.slug}/ai-systems/new/", {
        "name": "Fraud detection", "intended_purpose": MEGABYTE,
        "lifecycle_stage": "development", "status": "active", "roles": ["deployer"],
        "in_scope": "on", "eu_risk_class": "minimal", "owner": ""})
    assert r.status_code == 422
    page = r.content.decode()
    assert f"At most {MAX_TEXT} characters" in page and 'id="id_intended_purpose_error"' in page
    assert not AISystem.objects.for_org(org).exists()


def test_the_write_contract_bounds_text_from_any_door(ctx):
    from aims.risks.services import risk_create

    with pytest.raises(ValidationError) as exc:
        risk_create(ctx=ctx, data={"title": "Drift", "category": "drift",
                                   "description": MEGABYTE})
    assert f"At most {MAX_TEXT} characters" in exc.value.errors["description"][0]


def test_the_api_bounds_text_naming_the_field(org, api):
    r = api.post(f"/api/v1/orgs/{org.slug}/risks", {"title": "Drift", "category": "drift",
                                                   "description": MEGABYTE})
    assert r.status_code == 422 and "description" in r.content.decode()
    assert str(MAX_TEXT) in r.content.decode()
