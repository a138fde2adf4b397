"""The organisation state the matrices compare before and after every call: it must see any
change a write can make, or "nothing changed" would pass whatever happened."""

from __future__ import annotations

import pytest

from aims.inventory.models import AISystem
from aims.testing.factories import ctx_for, make_ai_system, make_org
from aims.testing.tenancy import org_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    org = make_org("acme", "Acme Lending")
    other = make_org("globex", "Globex Insurance")
    owner = org.memberships.get(role="owner").user
    ctx = ctx_for(org, owner)
    return org, other, ctx, make_ai_system(ctx, name="Claims triage")


def test_reading_twice_gives_the_same_state(setting):
    org, _, _, _ = setting
    assert org_state(org) == org_state(org)


def test_every_kind_of_row_change_is_seen(setting):
    org, other, ctx, system = setting
    label = AISystem._meta.label
    before = org_state(org)
    assert str(system.pk.hex) in {pk.replace("-", "") for pk, _, _ in before[label]}

    AISystem.all_orgs.filter(pk=system.pk).update(version=system.version + 1)
    bumped = org_state(org)
    assert bumped != before and bumped["events"] == before["events"]

    AISystem.all_orgs.filter(pk=system.pk).update(updated_at=system.updated_at.replace(year=2020))
    assert org_state(org)[label] != bumped[label]

    other_before = org_state(other)
    make_ai_system(ctx, name="Second system")
    added = org_state(org)
    assert len(added[label]) == len(before[label]) + 1
    assert len(added["events"]) > len(before["events"])
    # Another organisation's rows are not part of this one's state.
    assert org_state(other) == other_before and other_before[label] == []

    AISystem.all_orgs.filter(pk=system.pk).delete()
    assert len(org_state(org)[label]) == len(before[label])
