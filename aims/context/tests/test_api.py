import pytest

from aims.context.tests.conftest import ISSUE, PARTY, SCOPE

pytestmark = pytest.mark.django_db

BASE = "/api/v1/orgs/acme"


# ---------------------------------------------------------------- scope


def test_scope_404_before_the_first_version(api):
    r = api.get(f"{BASE}/scope")
    assert r.status_code == 404
    assert "No scope" in r.json()["detail"]


def test_scope_create_read_and_history(api, members):
    r = api.post(f"{BASE}/scope", {**SCOPE, "based_on": 0})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["number"] == 1
    assert body["author_email"] == members["editor"].email
    assert body["systems_snapshot"] == {"in_scope": [], "out_of_scope": []}
    r = api.post(f"{BASE}/scope", {**SCOPE, "statement": "v2", "based_on": 1})
    assert r.status_code == 201
    assert api.get(f"{BASE}/scope").json()["statement"] == "v2"
    assert [v["number"] for v in api.get(f"{BASE}/scope/versions").json()["items"]] == [2, 1]
    assert api.get(f"{BASE}/scope/versions/1").json()["statement"] == SCOPE["statement"]
    assert api.get(f"{BASE}/scope/versions/9").status_code == 404


def test_scope_stale_based_on_is_409_with_current(api):
    api.post(f"{BASE}/scope", {**SCOPE, "based_on": 0})
    r = api.post(f"{BASE}/scope", {**SCOPE, "statement": "late", "based_on": 0})
    assert r.status_code == 409
    assert r.json()["current"]["number"] == 1
    assert r.json()["current"]["statement"] == SCOPE["statement"]


def test_scope_without_statement_is_422(api):
    r = api.post(f"{BASE}/scope", {**SCOPE, "statement": "", "based_on": 0})
    assert r.status_code == 422


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_scope_readers_get_403(api_client_for, members, role):
    r = api_client_for(members[role]).post(f"{BASE}/scope", {**SCOPE, "based_on": 0})
    assert r.status_code == 403


# ---------------------------------------------------------------- issues


def test_issue_crud(api):
    r = api.post(f"{BASE}/issues", ISSUE)
    assert r.status_code == 201, r.content
    issue = r.json()
    assert issue["version"] == 1 and issue["kind"] == "external"
    url = f"{BASE}/issues/{issue['id']}"
    assert api.get(url).json()["title"] == ISSUE["title"]
    r = api.patch(url, {"version": 1, "title": "Changed"})
    assert r.status_code == 200
    assert r.json()["title"] == "Changed" and r.json()["version"] == 2
    assert r.json()["description"] == ISSUE["description"]
    assert [i["title"] for i in api.get(f"{BASE}/issues").json()["items"]] == ["Changed"]
    assert api.delete(url, {"version": 2}).status_code == 204
    assert api.get(url).status_code == 404


def test_issue_stale_patch_and_delete_are_409(api):
    issue = api.post(f"{BASE}/issues", ISSUE).json()
    url = f"{BASE}/issues/{issue['id']}"
    api.patch(url, {"version": 1, "title": "B"})
    r = api.patch(url, {"version": 1, "title": "C"})
    assert r.status_code == 409
    assert r.json()["current"]["title"] == "B"
    assert api.delete(url, {"version": 1}).status_code == 409


def test_issue_bad_input_is_422(api):
    assert api.post(f"{BASE}/issues", {**ISSUE, "kind": "sideways"}).status_code == 422
    assert api.post(f"{BASE}/issues", {**ISSUE, "title": ""}).status_code == 422
    issue = api.post(f"{BASE}/issues", ISSUE).json()
    r = api.patch(f"{BASE}/issues/{issue['id']}", {"title": "no version"})
    assert r.status_code == 422


def test_issue_list_filters(api):
    api.post(f"{BASE}/issues", ISSUE)
    api.post(f"{BASE}/issues", {**ISSUE, "kind": "internal", "title": "Skills gap"})
    assert [i["title"] for i in api.get(f"{BASE}/issues", {"kind": "internal"}).json()["items"]] == [
        "Skills gap"]
    assert [i["title"] for i in api.get(f"{BASE}/issues", {"q": "skills"}).json()["items"]] == [
        "Skills gap"]


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_issue_readers_get_403_on_writes(api, api_client_for, members, role):
    issue = api.post(f"{BASE}/issues", ISSUE).json()
    reader = api_client_for(members[role])
    assert reader.get(f"{BASE}/issues").status_code == 200
    assert reader.post(f"{BASE}/issues", ISSUE).status_code == 403
    assert reader.patch(f"{BASE}/issues/{issue['id']}", {"version": 1, "title": "x"}
                        ).status_code == 403
    assert reader.delete(f"{BASE}/issues/{issue['id']}", {"version": 1}).status_code == 403


# ---------------------------------------------------------------- interested parties


def test_party_crud(api):
    r = api.post(f"{BASE}/interested-parties", PARTY)
    assert r.status_code == 201, r.content
    party = r.json()
    url = f"{BASE}/interested-parties/{party['id']}"
    assert api.get(url).json()["needs"] == PARTY["needs"]
    r = api.patch(url, {"version": 1, "is_active": False})
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert api.delete(url, {"version": 2}).status_code == 204
    assert api.get(url).status_code == 404


def test_duplicate_party_is_422_naming_the_field(api):
    api.post(f"{BASE}/interested-parties", PARTY)
    r = api.post(f"{BASE}/interested-parties", {**PARTY, "name": "LOAN applicants"})
    assert r.status_code == 422
    assert list(r.json()["errors"]) == ["name"]


def test_party_stale_patch_is_409(api):
    party = api.post(f"{BASE}/interested-parties", PARTY).json()
    url = f"{BASE}/interested-parties/{party['id']}"
    api.patch(url, {"version": 1, "needs": "B"})
    r = api.patch(url, {"version": 1, "needs": "C"})
    assert r.status_code == 409
    assert r.json()["current"]["needs"] == "B"


# ---------------------------------------------------------------- tenancy


def test_another_orgs_ids_are_404(api, other_org, api_client_for):
    from aims.orgs.models import Membership

    issue = api.post(f"{BASE}/issues", ISSUE).json()
    party = api.post(f"{BASE}/interested-parties", PARTY).json()
    outsider = api_client_for(Membership.objects.get(org=other_org).user)
    # Inside their own organisation, our ids do not exist.
    for url in (f"/api/v1/orgs/globex/issues/{issue['id']}",
                f"/api/v1/orgs/globex/interested-parties/{party['id']}"):
        assert outsider.get(url).status_code == 404
        assert outsider.patch(url, {"version": 1}).status_code == 404
        assert outsider.delete(url, {"version": 1}).status_code == 404
    # And our organisation does not exist for them.
    for path in ("scope", "scope/versions", "issues", "interested-parties",
                 f"issues/{issue['id']}"):
        assert outsider.get(f"{BASE}/{path}").status_code == 404


def test_anonymous_is_refused(client):
    assert client.get(f"{BASE}/issues").status_code == 401


# ---------------------------------------------------------------- query counts


def test_list_endpoints_make_a_bounded_number_of_queries(
        ctx, api, make_issue, make_party, make_scope, django_assert_max_num_queries):
    for n in range(30):
        make_issue(title=f"Issue {n}")
        make_party(name=f"Party {n}")
        make_scope(based_on=n or None, change_note=f"v{n + 1}")
    for path in ("issues", "interested-parties", "scope/versions"):
        with django_assert_max_num_queries(6):
            r = api.get(f"{BASE}/{path}")
        assert r.status_code == 200 and r.json()["count"] == 30
