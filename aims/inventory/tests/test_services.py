import pytest

from aims.activity.models import Event
from aims.core.errors import NotFound, PermissionDenied, ValidationError
from aims.inventory.models import AISystem
from aims.inventory.selectors import AISystemFilters, ai_system_get, ai_system_list
from aims.inventory.services import (
    ai_system_create,
    ai_system_delete,
    ai_system_retire,
    ai_system_update,
)
from aims.testing.factories import ctx_for, make_ai_system

pytestmark = pytest.mark.django_db


def test_create_logs_every_field(ctx):
    system = make_ai_system(ctx, name="Credit decision engine")
    event = Event.objects.get(org=ctx.org, object_id=str(system.pk))
    assert event.action == "create"
    assert event.changes["name"] == {"before": None, "after": "Credit decision engine"}
    assert event.changes["roles"]["after"] == ["developer", "deployer"]
    assert event.actor_label == ctx.user.email


def test_update_logs_only_changed_fields_and_bumps_version(ctx):
    system = make_ai_system(ctx)
    ai_system_update(ctx=ctx, system_id=system.pk, version=1,
                     data={"business_unit": "Retail", "name": system.name})
    system.refresh_from_db()
    assert system.version == 2
    event = Event.objects.filter(org=ctx.org, action="update").get()
    assert event.changes == {"business_unit": {"before": "", "after": "Retail"}}


@pytest.mark.parametrize("data, field", [
    ({"roles": []}, "roles"),
    ({"roles": ["overlord"]}, "roles"),
    ({"roles": ["user", "user"]}, "roles"),
    ({"in_scope": False, "scope_justification": ""}, "scope_justification"),
    ({"in_scope": False, "scope_justification": "n/a"}, "scope_justification"),
    ({"lifecycle_stage": "someday"}, "lifecycle_stage"),
    ({"name": ""}, "name"),
    ({"owner": "not-a-member"}, "owner"),
])
def test_invalid_input_names_the_field_and_writes_nothing(ctx, data, field):
    before = Event.objects.filter(org=ctx.org).count()
    with pytest.raises(ValidationError) as exc:
        make_ai_system(ctx, **data)
    assert field in exc.value.errors
    assert AISystem.objects.for_org(ctx.org).count() == 0
    assert Event.objects.filter(org=ctx.org).count() == before


def test_out_of_scope_with_real_reason_is_accepted(ctx):
    system = make_ai_system(ctx, in_scope=False, scope_justification=(
        "Managed under the ISMS; it makes no decisions about people."))
    assert system.in_scope is False


def test_names_are_unique_per_org_case_insensitively(ctx, other_org, members):
    make_ai_system(ctx, name="Chatbot")
    with pytest.raises(ValidationError) as exc:
        make_ai_system(ctx, name="chatbot")
    assert "name" in exc.value.errors
    # Another organisation may use the same name.
    from aims.testing.factories import add_member
    other_editor = add_member(other_org, "editor")
    make_ai_system(ctx_for(other_org, other_editor), name="Chatbot")


def test_owner_must_be_a_member(ctx, other_org):
    from aims.orgs.models import Membership
    outsider = Membership.objects.get(org=other_org).user
    with pytest.raises(ValidationError) as exc:
        make_ai_system(ctx, owner=outsider.pk)
    assert exc.value.errors["owner"] == ["Must be a member of this organisation."]


def test_retire_sets_stage_and_status_together(ctx):
    system = make_ai_system(ctx)
    retired = ai_system_retire(ctx=ctx, system_id=system.pk, version=1)
    assert (retired.status, retired.lifecycle_stage) == ("retired", "retired")
    # Setting the stage alone retires it too.
    other = make_ai_system(ctx)
    updated = ai_system_update(ctx=ctx, system_id=other.pk, version=1,
                               data={"lifecycle_stage": "retired"})
    assert updated.status == "retired"


def test_delete_keeps_last_values_in_the_log(ctx):
    system = make_ai_system(ctx, name="Mistake")
    ai_system_delete(ctx=ctx, system_id=system.pk, version=1)
    assert not AISystem.objects.for_org(ctx.org).exists()
    event = Event.objects.get(org=ctx.org, action="delete")
    assert event.changes["name"] == {"before": "Mistake", "after": None}


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_readers_cannot_write(org, members, ctx, role):
    system = make_ai_system(ctx)
    reader = ctx_for(org, members[role])
    with pytest.raises(PermissionDenied):
        ai_system_create(ctx=reader, data={"name": "x", "intended_purpose": "y",
                                           "roles": ["user"]})
    with pytest.raises(PermissionDenied):
        ai_system_update(ctx=reader, system_id=system.pk, data={"name": "z"}, version=1)
    with pytest.raises(PermissionDenied):
        ai_system_delete(ctx=reader, system_id=system.pk, version=1)


def test_filters(ctx):
    make_ai_system(ctx, name="Chatbot", roles=["deployer", "integrator"], eu_risk_class="limited",
                   business_unit="Customer operations")
    make_ai_system(ctx, name="Coder", roles=["user"], eu_risk_class="minimal",
                   lifecycle_stage="design")
    names = lambda **f: [s.name for s in ai_system_list(ctx=ctx, filters=AISystemFilters(**f))]  # noqa: E731
    assert names(q="customer") == ["Chatbot"]
    assert names(role="integrator") == ["Chatbot"]
    assert names(role="user") == ["Coder"]
    assert names(eu_risk_class="minimal") == ["Coder"]
    assert names(lifecycle_stage="design") == ["Coder"]
    assert names(in_scope=False) == []


def test_get_is_scoped(ctx, other_org):
    system = make_ai_system(ctx)
    from aims.testing.factories import add_member
    stranger = ctx_for(other_org, add_member(other_org, "owner", "o2@globex.example.com"))
    with pytest.raises(NotFound):
        ai_system_get(ctx=stranger, system_id=system.pk)
    with pytest.raises(NotFound):
        ai_system_get(ctx=ctx, system_id="not-a-uuid")
