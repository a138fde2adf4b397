"""Context-app helpers: records made through the real services, and their log entries."""

from __future__ import annotations

import pytest

from aims.activity.models import Event
from aims.context import services

ISSUE = {"kind": "external", "title": "New AI rules for lending",
         "description": "Credit scoring is named as high risk.", "category": "Legal and regulatory",
         "effect": "Our scoring model needs documented oversight.", "is_active": True}
PARTY = {"name": "Loan applicants", "category": "Affected individuals",
         "needs": "Fair decisions they can contest.", "requirements": "Explain refusals.",
         "how_addressed": "Adverse action notices.", "is_active": True}
SCOPE = {"statement": "Development and use of AI for consumer lending in the EU.",
         "boundaries": "Head office and the Lisbon data centre.",
         "included_units": "Retail credit\nRisk analytics", "excluded_units": "Marketing",
         "exclusion_rationale": "Marketing runs no AI systems and shares no data or staff with the "
                              "units inside the scope.", "change_note": ""}


@pytest.fixture
def make_issue(ctx):
    def make(c=None, **overrides):
        return services.context_issue_create(ctx=c or ctx, data={**ISSUE, **overrides})
    return make


@pytest.fixture
def make_party(ctx):
    def make(c=None, **overrides):
        return services.interested_party_create(ctx=c or ctx, data={**PARTY, **overrides})
    return make


@pytest.fixture
def make_scope(ctx):
    def make(c=None, based_on=None, **overrides):
        return services.scope_version_create(ctx=c or ctx, data={**SCOPE, **overrides},
                                             based_on=based_on)
    return make


def events_for(obj) -> list[Event]:
    """The log entries about `obj`, oldest first."""
    return list(Event.objects.filter(org=obj.org, object_id=str(obj.pk)).order_by("seq"))
