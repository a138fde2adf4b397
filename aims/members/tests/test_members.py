"""Who may add, re-role and remove members, and the rule that an organisation keeps an owner."""

import pytest

from aims.activity.models import Event
from aims.activity.services import log_verify
from aims.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from aims.members.services import member_remove as _member_remove
from aims.members.services import member_set_role
from aims.orgs.models import Membership
from aims.testing.factories import UserFactory, add_member, ctx_for


def membership(org, user) -> Membership:
    return Membership.objects.get(org=org, user=user)


def member_events(org, action: str | None = None):
    qs = Event.objects.filter(org=org, object_type="orgs.membership").order_by("seq")
    return qs.filter(action=action) if action else qs


def member_add(*, ctx, user, role):
    """A member as an accepted invitation makes one (adding accounts directly is gone)."""
    add_member(ctx.org, role, email=user.email)
    return membership(ctx.org, user)


def member_remove(*, ctx, membership_id):
    """Remove at the version stored now (the stale case is tested on its own)."""
    m = Membership.objects.filter(pk=membership_id).first()
    return _member_remove(ctx=ctx, membership_id=membership_id,
                          version=m.version if m else 1)


@pytest.fixture
def newcomer(db):
    return UserFactory(email="newcomer@example.com")


@pytest.fixture
def admin_ctx(org, members):
    return ctx_for(org, members["admin"])


@pytest.mark.django_db
class TestSetRole:
    def test_admin_changes_a_role_and_it_is_logged(self, org, admin_ctx, members):
        m = membership(org, members["editor"])
        result = member_set_role(ctx=admin_ctx, membership_id=m.pk, role="viewer", version=1)
        assert (result.role, result.version) == ("viewer", 2)
        assert membership(org, members["editor"]).role == "viewer"
        ev = member_events(org, "update").get()
        assert ev.object_id == str(m.pk)
        assert ev.changes == {"role": {"before": "editor", "after": "viewer"}}

    def test_same_role_changes_and_logs_nothing(self, org, admin_ctx, members):
        m = membership(org, members["editor"])
        result = member_set_role(ctx=admin_ctx, membership_id=m.pk, role="editor", version=1)
        assert result.version == 1
        assert not member_events(org, "update").exists()

    def test_admin_cannot_grant_owner(self, org, admin_ctx, members):
        m = membership(org, members["editor"])
        with pytest.raises(PermissionDenied):
            member_set_role(ctx=admin_ctx, membership_id=m.pk, role="owner", version=1)
        assert membership(org, members["editor"]).role == "editor"

    def test_admin_cannot_promote_themselves_to_owner(self, org, admin_ctx, members):
        m = membership(org, members["admin"])
        with pytest.raises(PermissionDenied):
            member_set_role(ctx=admin_ctx, membership_id=m.pk, role="owner", version=1)

    def test_admin_cannot_demote_an_owner(self, org, admin_ctx, owner_ctx, members, newcomer):
        member_add(ctx=owner_ctx, user=newcomer, role="owner")  # so "last owner" is not why
        m = membership(org, members["owner"])
        with pytest.raises(PermissionDenied):
            member_set_role(ctx=admin_ctx, membership_id=m.pk, role="viewer", version=1)
        assert membership(org, members["owner"]).role == "owner"

    def test_owner_grants_owner(self, org, owner_ctx, members):
        m = membership(org, members["admin"])
        member_set_role(ctx=owner_ctx, membership_id=m.pk, role="owner", version=1)
        assert membership(org, members["admin"]).role == "owner"

    def test_last_owner_cannot_be_demoted(self, org, owner_ctx, members):
        m = membership(org, members["owner"])
        with pytest.raises(ValidationError) as exc:
            member_set_role(ctx=owner_ctx, membership_id=m.pk, role="admin", version=1)
        assert "role" in exc.value.errors
        assert membership(org, members["owner"]).role == "owner"
        assert not member_events(org, "update").exists()

    def test_one_of_two_owners_can_step_down(self, org, owner_ctx, members, newcomer):
        member_add(ctx=owner_ctx, user=newcomer, role="owner")
        m = membership(org, members["owner"])
        member_set_role(ctx=owner_ctx, membership_id=m.pk, role="admin", version=1)
        assert Membership.objects.filter(org=org, role="owner").get().user == newcomer

    @pytest.mark.parametrize("role", ["editor", "viewer", "auditor"])
    def test_non_admins_cannot_change_roles(self, org, members, role):
        m = membership(org, members["viewer"])
        with pytest.raises(PermissionDenied):
            member_set_role(ctx=ctx_for(org, members[role]), membership_id=m.pk, role="admin",
                            version=1)
        assert membership(org, members["viewer"]).role == "viewer"

    def test_stale_version_is_a_conflict(self, org, admin_ctx, members):
        m = membership(org, members["editor"])
        member_set_role(ctx=admin_ctx, membership_id=m.pk, role="viewer", version=1)
        with pytest.raises(Conflict) as exc:
            member_set_role(ctx=admin_ctx, membership_id=m.pk, role="auditor", version=1)
        assert exc.value.current == {"id": str(m.pk), "role": "viewer", "version": 2,
                                     "starts_on": None, "ends_on": None}
        assert membership(org, members["editor"]).role == "viewer"
        assert member_events(org, "update").count() == 1

    def test_unknown_role(self, org, admin_ctx, members):
        m = membership(org, members["editor"])
        with pytest.raises(ValidationError) as exc:
            member_set_role(ctx=admin_ctx, membership_id=m.pk, role="god", version=1)
        assert "role" in exc.value.errors

    def test_another_orgs_membership_is_not_found(self, admin_ctx, other_org):
        theirs = other_org.memberships.get()
        with pytest.raises(NotFound):
            member_set_role(ctx=admin_ctx, membership_id=theirs.pk, role="viewer", version=1)
        with pytest.raises(NotFound):
            member_set_role(ctx=admin_ctx, membership_id="not-a-uuid", role="viewer", version=1)
        theirs.refresh_from_db()
        assert theirs.role == "owner"


@pytest.mark.django_db
class TestRemove:
    def test_admin_removes_a_member_and_it_is_logged(self, org, admin_ctx, members):
        m = membership(org, members["auditor"])
        member_remove(ctx=admin_ctx, membership_id=m.pk)
        assert not Membership.objects.filter(pk=m.pk).exists()
        ev = member_events(org, "delete").get()
        assert ev.object_id == str(m.pk)
        assert ev.changes == {"user": {"before": members["auditor"].email, "after": None},
                              "role": {"before": "auditor", "after": None}}
        assert log_verify(org=org).ok

    def test_admin_cannot_remove_an_owner(self, org, admin_ctx, owner_ctx, members, newcomer):
        member_add(ctx=owner_ctx, user=newcomer, role="owner")
        with pytest.raises(PermissionDenied):
            member_remove(ctx=admin_ctx, membership_id=membership(org, newcomer).pk)
        assert Membership.objects.filter(org=org, role="owner").count() == 2

    def test_last_owner_cannot_be_removed(self, org, owner_ctx, members):
        m = membership(org, members["owner"])
        with pytest.raises(ValidationError) as exc:
            member_remove(ctx=owner_ctx, membership_id=m.pk)
        assert "role" in exc.value.errors
        assert Membership.objects.filter(pk=m.pk).exists()
        assert not member_events(org, "delete").exists()

    def test_owner_removes_another_owner(self, org, owner_ctx, newcomer):
        member_add(ctx=owner_ctx, user=newcomer, role="owner")
        member_remove(ctx=owner_ctx, membership_id=membership(org, newcomer).pk)
        assert Membership.objects.filter(org=org, role="owner").count() == 1

    @pytest.mark.parametrize("role", ["editor", "viewer", "auditor"])
    def test_non_admins_cannot_remove(self, org, members, role):
        m = membership(org, members["viewer"])
        with pytest.raises(PermissionDenied):
            member_remove(ctx=ctx_for(org, members[role]), membership_id=m.pk)
        assert Membership.objects.filter(pk=m.pk).exists()

    def test_another_orgs_membership_is_not_found(self, admin_ctx, other_org):
        theirs = other_org.memberships.get()
        with pytest.raises(NotFound):
            member_remove(ctx=admin_ctx, membership_id=theirs.pk)
        assert Membership.objects.filter(pk=theirs.pk).exists()

    def test_a_removed_member_loses_access(self, org, admin_ctx, members, api_client_for):
        client = api_client_for(members["viewer"])
        assert client.get("/api/v1/orgs/acme/soa").status_code == 200
        member_remove(ctx=admin_ctx, membership_id=membership(org, members["viewer"]).pk)
        assert client.get("/api/v1/orgs/acme/soa").status_code == 404


@pytest.mark.django_db
def test_removing_a_member_releases_what_they_owned(org, members, owner_ctx):
    from aims.activity.models import Event
    from aims.compliance.services import compliance_item_update
    from aims.inventory.models import AISystem
    from aims.orgs.models import Membership
    from aims.testing.factories import make_ai_system

    leaver = members["editor"]
    system = make_ai_system(owner_ctx, owner=leaver.pk)
    item = compliance_item_update(ctx=owner_ctx, ref="A.5.2", version=1,
                                  data={"owner": leaver.pk})
    membership = Membership.objects.get(org=org, user=leaver)
    member_remove(ctx=owner_ctx, membership_id=membership.pk)
    system.refresh_from_db()
    item.refresh_from_db()
    assert system.owner_id is None and item.owner_id is None
    released = Event.objects.filter(org=org, action="update", changes__owner__after=None)
    assert released.count() == 2
    assert AISystem.objects.for_org(org).get().version == 2


@pytest.mark.django_db
def test_people_start_organisations_from_the_ui_and_the_api(web_client_for, api_client_for,
                                                            settings):
    from aims.compliance.models import ComplianceItem
    from aims.orgs.models import Membership, Organization
    from aims.testing.factories import UserFactory

    consultant = UserFactory(email="consultant@example.com")
    c = web_client_for(consultant)
    r = c.post("/new-organisation/", {"name": "Client One", "slug": "client-one"})
    assert r.status_code == 302 and r.url == "/o/client-one/"
    org = Organization.objects.get(slug="client-one")
    assert Membership.objects.get(org=org).role == "owner"
    assert ComplianceItem.objects.for_org(org).count() == 91
    r = c.post("/new-organisation/", {"name": "Again", "slug": "client-one"})
    assert r.status_code == 422 and "already taken" in r.content.decode()
    api = api_client_for(consultant)
    r = api.post("/api/v1/orgs", {"slug": "client-two", "name": "Client Two"})
    assert r.status_code == 201 and r.json()["role"] == "owner"
    settings.AIMS_ORG_CREATION = "staff"
    assert c.get("/new-organisation/").status_code == 403
    assert api.post("/api/v1/orgs", {"slug": "client-3", "name": "C3"}).status_code == 403


@pytest.mark.django_db
def test_a_stale_remove_is_a_conflict_on_the_api_and_the_web(org, members, admin_ctx,
                                                              api_client_for, web_client_for):
    """Removing a member ignored the version sent: someone who read the member before their
    role changed could still remove them."""
    m = membership(org, members["editor"])
    member_set_role(ctx=admin_ctx, membership_id=m.pk, role="viewer", version=1)
    api = api_client_for(members["admin"])
    url = f"/api/v1/orgs/{org.slug}/members/{m.pk}"
    r = api.delete(f"{url}?version=1")
    assert r.status_code == 409 and r.json()["current"]["version"] == 2
    assert api.delete(url).status_code == 422  # the version is required
    web = web_client_for(members["admin"])
    r = web.post(f"/o/{org.slug}/members/{m.pk}/remove/", {"version": "1"})
    assert r.status_code == 409
    r = web.post(f"/o/{org.slug}/members/{m.pk}/remove/", {})
    assert r.status_code == 422
    assert Membership.objects.filter(pk=m.pk).exists()
    assert not member_events(org, "delete").exists()
    assert api.delete(f"{url}?version=2").status_code == 204
    assert not Membership.objects.filter(pk=m.pk).exists()
