import pytest

from aims.context import selectors, services
from aims.context.tests.conftest import ISSUE, PARTY, SCOPE, events_for
from aims.core.errors import Conflict, PermissionDenied, ValidationError
from aims.testing.factories import ctx_for, make_ai_system

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- scope


def test_first_scope_version_is_1_and_snapshots_systems(ctx, make_scope):
    make_ai_system(ctx, name="Credit scoring")
    make_ai_system(ctx, name="HR screening", in_scope=False,
                   scope_justification="Run by a separate subsidiary with its own management "
                                       "system and no shared staff or data.")
    make_ai_system(ctx, name="Old chatbot", lifecycle_stage="retired", status="retired")
    v1 = make_scope()
    assert v1.number == 1
    assert v1.author == ctx.user
    assert v1.systems_snapshot == {"in_scope": ["Credit scoring"],
                                   "out_of_scope": ["HR screening"]}


def test_each_save_adds_a_version_and_keeps_the_old_one(ctx, make_scope):
    v1 = make_scope()
    make_ai_system(ctx, name="Fraud detection")
    v2 = make_scope(based_on=1, statement="Wider scope.", change_note="Added fraud.")
    assert v2.number == 2
    assert v2.systems_snapshot["in_scope"] == ["Fraud detection"]
    assert v1.systems_snapshot["in_scope"] == []
    assert selectors.scope_current(ctx=ctx).statement == "Wider scope."
    assert [v.number for v in selectors.scope_version_list(ctx=ctx)] == [2, 1]
    assert selectors.scope_version_get(ctx=ctx, number=1).statement == SCOPE["statement"]


def test_stale_based_on_is_a_conflict_with_current_values(make_scope):
    make_scope()
    make_scope(based_on=1, statement="Second.")
    with pytest.raises(Conflict) as exc:
        make_scope(based_on=1, statement="Lost update.")
    assert exc.value.current["number"] == 2
    assert exc.value.current["statement"] == "Second."


def test_first_version_twice_is_a_conflict(make_scope):
    make_scope()
    with pytest.raises(Conflict):
        make_scope(based_on=None)


def test_scope_needs_a_statement_and_known_fields(make_scope):
    with pytest.raises(ValidationError) as exc:
        make_scope(statement="")
    assert "statement" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        make_scope(number=7)
    assert "number" in exc.value.errors


def test_scope_version_is_logged(make_scope):
    v1 = make_scope()
    (event,) = events_for(v1)
    assert event.action == "create"
    assert event.changes["statement"] == {"before": None, "after": SCOPE["statement"]}


def test_scope_versions_are_per_organisation(ctx, other_org, make_scope):
    from aims.orgs.models import Membership

    make_scope()
    other = ctx_for(other_org, Membership.objects.get(org=other_org).user)
    assert selectors.scope_current(ctx=other) is None
    assert make_scope(c=other).number == 1


# ---------------------------------------------------------------- issues


def test_issue_create_update_delete_are_logged(ctx, make_issue):
    issue = make_issue()
    updated = services.context_issue_update(ctx=ctx, issue_id=issue.pk,
                                            data={"title": "Revised", "is_active": False},
                                            version=1)
    assert updated.version == 2
    services.context_issue_delete(ctx=ctx, issue_id=issue.pk, version=2)
    created, changed, deleted = events_for(issue)
    assert created.action == "create"
    assert created.changes["title"] == {"before": None, "after": ISSUE["title"]}
    assert changed.action == "update"
    assert changed.changes == {"title": {"before": ISSUE["title"], "after": "Revised"},
                               "is_active": {"before": True, "after": False}}
    assert deleted.action == "delete"
    assert deleted.changes["title"] == {"before": "Revised", "after": None}
    assert not selectors.context_issue_list(ctx=ctx).exists()


def test_issue_stale_version_is_a_conflict(ctx, make_issue):
    issue = make_issue()
    services.context_issue_update(ctx=ctx, issue_id=issue.pk, data={"title": "B"}, version=1)
    with pytest.raises(Conflict) as exc:
        services.context_issue_update(ctx=ctx, issue_id=issue.pk, data={"title": "C"}, version=1)
    assert exc.value.current["title"] == "B"
    with pytest.raises(Conflict):
        services.context_issue_delete(ctx=ctx, issue_id=issue.pk, version=1)


def test_issue_validation_names_the_field(make_issue):
    with pytest.raises(ValidationError) as exc:
        make_issue(kind="sideways")
    assert "kind" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        make_issue(title="")
    assert "title" in exc.value.errors


def test_issue_list_filters(ctx, make_issue):
    make_issue(title="Regulation", kind="external")
    make_issue(title="Skills gap", kind="internal", description="Few ML engineers")
    make_issue(title="Legacy data", kind="internal", is_active=False)
    titles = lambda **kw: [i.title for i in selectors.context_issue_list(ctx=ctx, **kw)]  # noqa: E731
    assert titles() == ["Regulation", "Legacy data", "Skills gap"]  # external first
    assert titles(kind="external") == ["Regulation"]
    assert titles(active=False) == ["Legacy data"]
    assert titles(active=True, kind="internal") == ["Skills gap"]
    assert titles(q="ml eng") == ["Skills gap"]


# ---------------------------------------------------------------- interested parties


def test_party_create_update_delete_are_logged(ctx, make_party):
    party = make_party()
    services.interested_party_update(ctx=ctx, party_id=party.pk,
                                     data={"needs": "Clear explanations."}, version=1)
    services.interested_party_delete(ctx=ctx, party_id=party.pk, version=2)
    created, changed, deleted = events_for(party)
    assert created.changes["name"] == {"before": None, "after": "Loan applicants"}
    assert changed.changes == {"needs": {"before": PARTY["needs"],
                                         "after": "Clear explanations."}}
    assert deleted.changes["name"] == {"before": "Loan applicants", "after": None}


def test_duplicate_party_name_is_refused_on_name(ctx, make_party):
    make_party()
    with pytest.raises(ValidationError) as exc:
        make_party(name="loan APPLICANTS")
    assert list(exc.value.errors) == ["name"]
    other = make_party(name="Regulator")
    with pytest.raises(ValidationError) as exc:
        services.interested_party_update(ctx=ctx, party_id=other.pk,
                                         data={"name": "Loan applicants"}, version=1)
    assert "name" in exc.value.errors
    # Keeping its own name is not a duplicate.
    services.interested_party_update(ctx=ctx, party_id=other.pk,
                                     data={"name": "Regulator", "needs": "Reports."}, version=1)


def test_party_needs_are_required(make_party):
    with pytest.raises(ValidationError) as exc:
        make_party(needs="")
    assert "needs" in exc.value.errors


def test_same_party_name_in_another_org_is_fine(other_org, make_party):
    from aims.orgs.models import Membership

    make_party()
    other = ctx_for(other_org, Membership.objects.get(org=other_org).user)
    assert make_party(c=other).name == "Loan applicants"


# ---------------------------------------------------------------- roles and tenancy


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_readers_cannot_write(org, members, role, make_issue, make_party, make_scope):
    issue, party = make_issue(), make_party()
    reader = ctx_for(org, members[role])
    with pytest.raises(PermissionDenied):
        make_scope(c=reader)
    with pytest.raises(PermissionDenied):
        make_issue(c=reader)
    with pytest.raises(PermissionDenied):
        services.context_issue_update(ctx=reader, issue_id=issue.pk, data={"title": "x"},
                                      version=1)
    with pytest.raises(PermissionDenied):
        services.context_issue_delete(ctx=reader, issue_id=issue.pk, version=1)
    with pytest.raises(PermissionDenied):
        make_party(c=reader, name="Other")
    with pytest.raises(PermissionDenied):
        services.interested_party_update(ctx=reader, party_id=party.pk, data={"name": "x"},
                                         version=1)
    with pytest.raises(PermissionDenied):
        services.interested_party_delete(ctx=reader, party_id=party.pk, version=1)
    # Reading is allowed.
    assert selectors.context_issue_get(ctx=reader, issue_id=issue.pk) == issue


@pytest.mark.parametrize("role", ["owner", "admin", "editor"])
def test_editors_can_write(org, members, role, make_issue):
    assert make_issue(c=ctx_for(org, members[role])).pk


def test_another_orgs_records_are_not_found(other_org, make_issue, make_party):
    from aims.core.errors import NotFound
    from aims.orgs.models import Membership

    issue, party = make_issue(), make_party()
    other = ctx_for(other_org, Membership.objects.get(org=other_org).user)
    with pytest.raises(NotFound):
        selectors.context_issue_get(ctx=other, issue_id=issue.pk)
    with pytest.raises(NotFound):
        services.context_issue_update(ctx=other, issue_id=issue.pk, data={}, version=1)
    with pytest.raises(NotFound):
        selectors.interested_party_get(ctx=other, party_id=party.pk)
    with pytest.raises(NotFound):
        services.interested_party_delete(ctx=other, party_id=party.pk, version=1)
    with pytest.raises(NotFound):
        selectors.context_issue_get(ctx=other, issue_id="not-a-uuid")


def test_excluded_units_need_a_real_rationale(ctx):
    from aims.context.services import scope_version_create
    from aims.core.errors import ValidationError
    with pytest.raises(ValidationError) as exc:
        scope_version_create(ctx=ctx, based_on=0, data={
            "statement": "All AI in lending.", "excluded_units": "Leasing subsidiary",
            "exclusion_rationale": "n/a"})
    assert "exclusion_rationale" in exc.value.errors
