"""The demo's systems are classified through the questionnaire, one of them high-risk, and
their obligations fill the calendar."""

import pytest
from django.utils import timezone

from aims.aiact.models import ClassificationVersion
from aims.aiact.selectors import obligation_calendar
from aims.demo.build import demo_create
from aims.inventory.models import AISystem
from aims.orgs.models import Membership
from aims.testing.factories import ctx_for


@pytest.mark.django_db
def test_demo_systems_are_classified_through_the_questionnaire():
    org = demo_create().org
    versions = ClassificationVersion.objects.for_org(org).select_related("ai_system")
    classes = {v.ai_system.name: v.result_class for v in versions}
    assert classes["Credit decision engine"] == "high"
    assert classes["CV screening assistant"] == "high"
    assert classes["Customer service chatbot"] == "limited"
    assert "Collections prioritisation model" not in classes
    systems = {s.name: s for s in AISystem.objects.for_org(org)}
    assert systems["Credit decision engine"].eu_risk_class == "high"
    assert not any(s.eu_class_overridden for s in systems.values())
    owner = Membership.objects.get(org=org, role="owner").user
    cal = obligation_calendar(ctx=ctx_for(org, owner), today=timezone.localdate())
    refs = {(r.system.name, r.item.ref) for r in cal.rows}
    assert ("Credit decision engine", "Art. 9") in refs
    assert ("CV screening assistant", "Art. 26") in refs
    assert [s.name for s in cal.unclassified] == ["Collections prioritisation model"]
