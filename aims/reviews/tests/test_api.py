"""The management review API: status codes, validation by field, versions, tenancy and query
counts."""

from __future__ import annotations

import datetime
import itertools

import pytest

from aims.accounts.models import User
from aims.reviews import services
from aims.reviews.inputs import INPUTS
from aims.reviews.models import ManagementReview
from aims.reviews.tests.conftest import TODAY, TOMORROW, YESTERDAY, make_ready, plan, reload
from aims.testing.factories import add_member, ctx_for

pytestmark = pytest.mark.django_db
_seq = itertools.count()


def base(org) -> str:
    return f"/api/v1/orgs/{org.slug}/management-reviews"


def _loc(response) -> list[str]:
    """The fields named by a schema validation error (422)."""
    return [str(e["loc"][-1]) for e in response.json()["detail"]]


def test_api_flow(org, members, api_client_for):
    api = api_client_for(members["owner"])
    url = base(org)
    created = api.post(url, {"title": "H1 review", "meeting_date": TODAY.isoformat(),
                             "attendees": [str(members["owner"].pk)]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert len(body["agenda"]) == len(INPUTS)
    rid = body["id"]
    refused = api.post(f"{url}/{rid}/hold", {"version": body["version"]})
    assert refused.status_code == 422 and "minutes" in refused.json()["errors"]
    for item in body["agenda"]:
        r = api.patch(f"{url}/{rid}/agenda/{item['id']}",
                      {"version": item["version"], "minutes": "Noted."})
        assert r.status_code == 200
    body = api.patch(f"{url}/{rid}", {"version": body["version"],
                                      "conclusions": "Suitable, adequate, effective."}).json()
    held = api.post(f"{url}/{rid}/hold", {"version": body["version"]})
    assert held.status_code == 200 and held.json()["status"] == "held"
    pdf = api.get(f"{url}/{rid}/pack.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert api.get(url).json()["count"] == 1


def test_create_answers_the_whole_review(org, members, api_client_for):
    api = api_client_for(members["admin"])
    r = api.post(base(org), {
        "title": "Board review", "meeting_date": YESTERDAY.isoformat(),
        "period_start": (YESTERDAY - datetime.timedelta(days=90)).isoformat(),
        "chair": str(members["owner"].pk), "location": "Board room",
        "attendees": [str(members["owner"].pk), str(members["admin"].pk)],
        "other_attendees": "External adviser"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["ref"], body["status"], body["chair"]) == ("MR-001", "planned",
                                                            str(members["owner"].pk))
    assert sorted(body["attendees"]) == sorted([str(members["owner"].pk),
                                                str(members["admin"].pk)])
    assert (body["held_at"], body["decisions"], body["version"]) == (None, [], 1)
    assert [i["key"] for i in body["agenda"]] == [i.key for i in INPUTS]
    first = body["agenda"][0]
    assert first["title"] == INPUTS[0].title and first["summary"] and first["rows"] == []
    assert ManagementReview.objects.for_org(org).get().location == "Board room"


@pytest.mark.parametrize("payload, field", [
    ({"meeting_date": "2025-06-30"}, "title"),
    ({"title": "", "meeting_date": "2025-06-30"}, "title"),
    ({"title": "Review"}, "meeting_date"),
    ({"title": "Review", "meeting_date": "30/06/2025"}, "meeting_date"),
    ({"title": "Review", "meeting_date": "2025-06-30", "attendees": ["not-a-uuid"]}, "0"),
    ({"title": "x" * 201, "meeting_date": "2025-06-30"}, "title"),
])
def test_create_schema_errors_name_the_field(org, members, api_client_for, payload, field):
    r = api_client_for(members["owner"]).post(base(org), payload)
    assert r.status_code == 422
    assert field in _loc(r)
    assert not ManagementReview.objects.for_org(org).exists()


@pytest.mark.parametrize("extra, field", [
    ({"period_start": "2025-07-01"}, "period_start"),
    ({"chair": "00000000-0000-0000-0000-000000000000"}, "chair"),
    ({"attendees": ["00000000-0000-0000-0000-000000000000"]}, "attendees"),
    ({"title": "   "}, "title"),
])
def test_create_rule_errors_name_the_field(org, members, api_client_for, extra, field):
    r = api_client_for(members["owner"]).post(base(org), {
        "title": "Review", "meeting_date": "2025-06-30", **extra})
    assert r.status_code == 422, r.content
    assert list(r.json()["errors"]) == [field]
    assert not ManagementReview.objects.for_org(org).exists()


def test_list_filters_and_counts(org, members, owner_ctx, api_client_for):
    held = make_ready(owner_ctx, plan(owner_ctx, on=datetime.date(2025, 3, 31),
                                      title="Spring review"))
    services.review_hold(ctx=owner_ctx, review_id=held.pk, version=held.version)
    planned = plan(owner_ctx, on=TOMORROW, title="Next review")
    services.decision_add(ctx=owner_ctx, review_id=planned.pk, data={
        "kind": "other", "text": "Fund validation.", "action": "Fund it",
        "owner": members["admin"].pk, "due_date": TOMORROW})
    services.decision_add(ctx=owner_ctx, review_id=planned.pk,
                          data={"kind": "other", "text": "Keep the scope."})
    api = api_client_for(members["viewer"])
    body = api.get(base(org)).json()
    assert body["count"] == 2
    # Newest meeting first, with the decision and action counts.
    assert [(i["ref"], i["decision_count"], i["action_count"]) for i in body["items"]] == [
        ("MR-002", 2, 1), ("MR-001", 0, 0)]

    def refs(**query):
        r = api.get(base(org), query)
        assert r.status_code == 200, r.content
        return [i["ref"] for i in r.json()["items"]]

    assert refs(status="held") == ["MR-001"]
    assert refs(status="planned") == ["MR-002"]
    assert refs(year=2025) == ["MR-001"]
    assert refs(q="spring") == ["MR-001"]
    assert refs(q="mr-002") == ["MR-002"]
    assert refs(q="adequate") == ["MR-001"]  # in the conclusions
    assert api.get(base(org), {"status": "cancelled"}).status_code == 422
    assert api.get(base(org), {"year": 99999}).status_code == 422


def test_get_shows_decisions_with_their_actions(org, members, owner_ctx, api_client_for):
    review = plan(owner_ctx)
    services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
        "kind": "resources", "text": "Fund a validator.", "action": "Hire a validator",
        "owner": members["editor"].pk, "due_date": TOMORROW})
    r = api_client_for(members["auditor"]).get(f"{base(org)}/{review.pk}")
    assert r.status_code == 200
    [decision] = r.json()["decisions"]
    assert (decision["kind"], decision["text"], decision["task_ref"],
            decision["task_status"]) == ("resources", "Fund a validator.", "T-001", "open")
    assert decision["task"] is not None


def test_patch_checks_the_version_and_names_fields(org, members, owner_ctx, api_client_for):
    review = plan(owner_ctx)
    api = api_client_for(members["admin"])
    url = f"{base(org)}/{review.pk}"
    r = api.patch(url, {"version": review.version, "title": "Renamed",
                        "attendees": [str(members["owner"].pk), str(members["admin"].pk)]})
    assert r.status_code == 200, r.content
    assert (r.json()["title"], r.json()["version"]) == ("Renamed", review.version + 1)
    assert len(r.json()["attendees"]) == 2
    stale = api.patch(url, {"version": review.version, "title": "Stale"})
    assert stale.status_code == 409
    assert stale.json()["current"]["title"] == "Renamed"
    assert stale.json()["current"]["version"] == review.version + 1
    assert "version" in _loc(api.patch(url, {"title": "No version"}))
    r = api.patch(url, {"version": review.version + 1, "period_start": TOMORROW.isoformat()})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["period_start"]
    r = api.patch(url, {"version": review.version + 1, "title": None})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["title"]
    assert reload(review).title == "Renamed"


def test_minutes_endpoint(org, members, owner_ctx, api_client_for):
    review, other = plan(owner_ctx), plan(owner_ctx, on=YESTERDAY)
    item = review.items.get(key="monitoring")
    api = api_client_for(members["owner"])
    url = f"{base(org)}/{review.pk}/agenda/{item.pk}"
    r = api.patch(url, {"version": item.version, "minutes": "  The override rate is up.  "})
    assert r.status_code == 200
    body = r.json()
    assert (body["key"], body["minutes"], body["version"]) == (
        "monitoring", "The override rate is up.", item.version + 1)
    assert api.patch(url, {"version": item.version, "minutes": "Stale."}).status_code == 409
    assert "minutes" in _loc(api.patch(url, {"version": body["version"]}))
    wrong = api.patch(f"{base(org)}/{other.pk}/agenda/{item.pk}",
                      {"version": body["version"], "minutes": "Wrong review."})
    assert wrong.status_code == 404
    assert review.items.get(pk=item.pk).minutes == "The override rate is up."


def test_decision_endpoints(org, members, owner_ctx, api_client_for):
    review = plan(owner_ctx)
    api = api_client_for(members["owner"])
    url = f"{base(org)}/{review.pk}/decisions"
    r = api.post(url, {"kind": "change", "text": "Redraft the AI policy.",
                       "action": "Redraft policy", "owner": str(members["admin"].pk),
                       "due_date": TOMORROW.isoformat()})
    assert r.status_code == 201, r.content
    decision = r.json()
    assert (decision["task_ref"], decision["task_status"]) == ("T-001", "open")
    r = api.post(url, {"kind": "change", "text": "Redraft the AI policy.",
                       "action": "Redraft policy", "owner": str(members["admin"].pk)})
    assert r.status_code == 422 and r.json()["errors"] == {
        "due_date": ["An action needs a due date."]}
    assert "text" in _loc(api.post(url, {"kind": "change", "text": ""}))
    assert "kind" in _loc(api.post(url, {"kind": "whim", "text": "Do it."}))
    r = api.post(url, {"kind": "other", "text": "   "})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["text"]
    one = f"{url}/{decision['id']}"
    assert api.delete(one, {"version": decision["version"] + 1}).status_code == 409
    r = api.delete(one, {"version": decision["version"]})
    assert r.status_code == 204 and r.content == b""
    assert api.delete(one, {"version": decision["version"]}).status_code == 404
    assert not review.decisions.exists()


def test_refresh_endpoint_rereads_the_inputs(org, members, owner_ctx, api_client_for):
    from aims.context.services import context_issue_create

    review = plan(owner_ctx)
    context_issue_create(ctx=owner_ctx, data={"kind": "external", "title": "New AI act"})
    r = api_client_for(members["admin"]).post(f"{base(org)}/{review.pk}/refresh")
    assert r.status_code == 200
    item = next(i for i in r.json()["agenda"] if i["key"] == "context_changes")
    assert [row["label"] for row in item["rows"]] == ["New AI act"]


def test_hold_and_what_is_final(org, members, owner_ctx, ready, api_client_for):
    api = api_client_for(members["owner"])
    url = f"{base(org)}/{ready.pk}"
    assert api.post(f"{url}/hold", {"version": ready.version - 1}).status_code == 409
    assert "version" in _loc(api.post(f"{url}/hold", {}))
    r = api.post(f"{url}/hold", {"version": ready.version})
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "held" and body["held_at"]
    item = body["agenda"][0]
    for response in (
        api.patch(url, {"version": body["version"], "title": "Late change"}),
        api.post(f"{url}/refresh"),
        api.patch(f"{url}/agenda/{item['id']}", {"version": item["version"], "minutes": "x"}),
        api.post(f"{url}/decisions", {"kind": "other", "text": "Late."}),
        api.post(f"{url}/hold", {"version": body["version"]}),
        api.delete(url, {"version": body["version"]}),
    ):
        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["status"]
    assert api.get(url).json()["title"] == "Annual AIMS review"


def test_delete_endpoint(org, members, owner_ctx, api_client_for):
    review = plan(owner_ctx)
    with_action = plan(owner_ctx, on=YESTERDAY)
    services.decision_add(ctx=owner_ctx, review_id=with_action.pk, data={
        "kind": "other", "text": "Do it.", "action": "Do it", "owner": members["admin"].pk,
        "due_date": TOMORROW})
    api = api_client_for(members["admin"])
    url = f"{base(org)}/{review.pk}"
    assert api.delete(url, {"version": review.version + 1}).status_code == 409
    assert api.delete(url).status_code == 422  # the version is required
    r = api.delete(url, {"version": review.version})
    assert r.status_code == 204 and r.content == b""
    assert api.get(url).status_code == 404
    r = api.delete(f"{base(org)}/{with_action.pk}", {"version": with_action.version})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["decisions"]


@pytest.mark.parametrize("role", ["editor", "viewer", "auditor"])
def test_other_roles_read_but_do_not_write(org, members, owner_ctx, role, api_client_for):
    review = plan(owner_ctx)
    item = review.items.first()
    decision = services.decision_add(ctx=owner_ctx, review_id=review.pk,
                                     data={"kind": "other", "text": "Keep the scope."})
    api = api_client_for(members[role])
    url = f"{base(org)}/{review.pk}"
    assert api.get(base(org)).json()["count"] == 1
    assert api.get(url).json()["ref"] == "MR-001"
    assert api.get(f"{url}/pack.pdf").status_code == 200
    for response in (
        api.post(base(org), {"title": "Mine", "meeting_date": TODAY.isoformat()}),
        api.patch(url, {"version": review.version, "title": "Mine"}),
        api.post(f"{url}/refresh"),
        api.patch(f"{url}/agenda/{item.pk}", {"version": item.version, "minutes": "Mine."}),
        api.post(f"{url}/decisions", {"kind": "other", "text": "Mine."}),
        api.delete(f"{url}/decisions/{decision.pk}", {"version": decision.version}),
        api.post(f"{url}/hold", {"version": review.version}),
        api.delete(url, {"version": review.version}),
    ):
        assert response.status_code == 403, response.content
    assert reload(review).title == "AIMS review" and review.decisions.count() == 1


def test_other_organisations_ids_are_404(org, other_org, members, api_client_for):
    from aims.orgs.models import Membership

    their_owner = Membership.objects.get(org=other_org, role="owner").user
    theirs = plan(ctx_for(other_org, their_owner), title="Their review")
    item = theirs.items.first()
    decision = services.decision_add(ctx=ctx_for(other_org, their_owner), review_id=theirs.pk,
                                     data={"kind": "other", "text": "Theirs."})
    api = api_client_for(members["owner"])
    url = f"{base(org)}/{theirs.pk}"
    for response in (
        api.get(url),
        api.get(f"{url}/pack.pdf"),
        api.patch(url, {"version": theirs.version, "title": "Taken"}),
        api.post(f"{url}/refresh"),
        api.patch(f"{url}/agenda/{item.pk}", {"version": item.version, "minutes": "x"}),
        api.post(f"{url}/decisions", {"kind": "other", "text": "x"}),
        api.delete(f"{url}/decisions/{decision.pk}", {"version": decision.version}),
        api.post(f"{url}/hold", {"version": theirs.version}),
        api.delete(url, {"version": theirs.version}),
    ):
        assert response.status_code == 404, response.content
        assert "Their review" not in response.content.decode()
    # Nor through their organisation's address: the caller is not a member there.
    assert api.get(f"{base(other_org)}/{theirs.pk}").status_code == 404
    assert api.get(base(org)).json()["count"] == 0
    assert reload(theirs).title == "Their review"


# ---------------------------------------------------------------------------- query counts


def grow(org, owner, n: int) -> None:
    """n reviews by different admins, each attended by two people and with two decisions,
    one of which became an action."""
    for _ in range(n):
        i = next(_seq)
        person = add_member(org, "admin", email=f"qc-mr-api-{i}@{org.slug}.example.com")
        c = ctx_for(org, person)
        review = plan(c, datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
                      attendees=[person.pk, owner.pk])
        services.decision_add(ctx=c, review_id=review.pk, data={
            "kind": "other", "text": f"Decision {i}"})
        services.decision_add(ctx=c, review_id=review.pk, data={
            "kind": "change", "text": f"Action {i}", "action": f"Action {i}",
            "owner": person.pk, "due_date": TOMORROW})


def test_list_queries_bounded(org, members, api_client_for, django_assert_max_num_queries):
    api = api_client_for(members["viewer"])
    counts = []
    for n in (5, 40):
        grow(org, members["owner"], n)
        assert api.get(base(org)).status_code == 200
        with django_assert_max_num_queries(6) as captured:
            r = api.get(base(org), {"limit": 100})
        assert r.status_code == 200 and r.json()["count"] == (5 if n == 5 else 45)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_detail_queries_bounded(org, members, owner_ctx, api_client_for,
                                django_assert_max_num_queries):
    """One review with more and more attendees and decisions (with actions)."""
    api = api_client_for(members["viewer"])
    review = plan(owner_ctx)
    url = f"{base(org)}/{review.pk}"
    counts = []
    for n in (5, 40):
        while review.decisions.count() < n:
            i = next(_seq)
            person = add_member(org, "editor", email=f"qc-mr-d-{i}@{org.slug}.example.com")
            services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
                "kind": "change", "text": f"Decision {i}", "action": f"Action {i}",
                "owner": person.pk, "due_date": TOMORROW})
        review = reload(review)
        everyone = list(User.objects.filter(email__startswith="qc-mr-d-")
                        .values_list("pk", flat=True))
        review = services.review_update(ctx=owner_ctx, review_id=review.pk,
                                        version=review.version, data={"attendees": everyone})
        assert api.get(url).status_code == 200
        with django_assert_max_num_queries(6) as captured:
            r = api.get(url)
        assert r.status_code == 200 and len(r.json()["decisions"]) == n
        assert len(r.json()["attendees"]) == n
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
