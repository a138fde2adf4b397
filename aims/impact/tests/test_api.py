import datetime
import io
import itertools

import pytest
from django.utils import timezone
from pypdf import PdfReader

from aims.activity.models import Event
from aims.impact import services
from aims.impact.tests.conftest import IMPACT, SECTIONS, submitted_on
from aims.testing.factories import add_member, ctx_for, make_ai_system
from aims.testing.queries import SESSION, assert_flat

pytestmark = pytest.mark.django_db


def _base(org):
    return f"/api/v1/orgs/{org.slug}/impact-assessments"


def test_full_workflow_over_the_api(org, members, api, api_client_for, system):
    base = _base(org)
    r = api.post(base, {"ai_system": str(system.pk), **SECTIONS})
    assert r.status_code == 201, r.content
    a = r.json()
    assert (a["number"], a["trigger"], a["status"], a["state"]) == (1, "initial", "draft", "draft")
    assert a["author"] == str(members["editor"].pk)
    item = f"{base}/{a['id']}"
    r = api.post(f"{item}/impacts", IMPACT)
    assert r.status_code == 201, r.content
    impact = r.json()
    assert (impact["severity"], impact["linked_risk"]) == (4, None)
    r = api.patch(f"{item}/impacts/{impact['id']}",
                  {"version": impact["version"], "mitigations": "Manual review of declines."})
    assert r.status_code == 200 and r.json()["version"] == 2
    r = api.patch(item, {"version": 1, "conclusion": "Acceptable with monitoring."})
    assert r.status_code == 200 and r.json()["version"] == 2
    r = api.post(f"{item}/submit", {"version": 2})
    assert r.status_code == 200 and r.json()["status"] == "in_review"
    # The author's own role cannot approve, and an editor never can.
    r = api.post(f"{item}/approve", {"version": 3})
    assert r.status_code == 403 and "Approving impact assessments" in r.json()["detail"]
    admin = api_client_for(members["admin"])
    r = admin.post(f"{item}/approve", {"version": 3, "comment": "Agreed."})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "approved" and body["approved_by"] == str(members["admin"].pk)
    assert body["approved_on"] == timezone.localdate().isoformat()
    assert body["next_due"] is not None and body["overdue"] is False
    assert len(body["impacts"]) == 1
    r = api.patch(item, {"version": 4, "conclusion": "Sneaky edit"})
    assert r.status_code == 422 and "status" in r.json()["errors"]


def test_author_approval_is_refused_with_the_rule(org, members, api_client_for, system):
    admin = api_client_for(members["admin"])
    admin_ctx = ctx_for(org, members["admin"])
    a = services.assessment_create(ctx=admin_ctx, data={"ai_system": system.pk, **SECTIONS})
    services.impact_create(ctx=admin_ctx, assessment_id=a.pk, data=IMPACT)
    services.assessment_submit(ctx=admin_ctx, assessment_id=a.pk, version=1)
    before = Event.objects.filter(org=org).count()
    r = admin.post(f"{_base(org)}/{a.pk}/approve", {"version": 2})
    assert r.status_code == 403
    assert "approver ≠ author" in r.json()["detail"]
    assert Event.objects.filter(org=org).count() == before


def test_approving_a_draft_is_422(org, members, api_client_for, draft):
    r = api_client_for(members["owner"]).post(f"{_base(org)}/{draft.pk}/approve",
                                              {"version": draft.version})
    assert r.status_code == 422
    assert "Only an assessment that is in review can be approved" in r.json()["errors"]["status"][0]


def test_return_and_delete_draft(org, members, api, api_client_for, in_review):
    item = f"{_base(org)}/{in_review.pk}"
    admin = api_client_for(members["admin"])
    assert admin.post(f"{item}/return", {"version": in_review.version,
                                         "comment": ""}).status_code == 422
    r = admin.post(f"{item}/return", {"version": in_review.version,
                                      "comment": "Describe the monitoring."})
    assert r.status_code == 200 and r.json()["review_comment"] == "Describe the monitoring."
    assert api.delete(item, {"version": in_review.version}).status_code == 409
    r = api.delete(item, {"version": r.json()["version"]})
    assert r.status_code == 204 and r.content == b""
    assert api.get(item).status_code == 404


def test_list_filters(org, members, api, ctx, admin_ctx, system):
    other = make_ai_system(ctx, name="Chatbot")
    services.assessment_create(ctx=ctx, data={"ai_system": other.pk})
    a = services.assessment_create(ctx=ctx, data={"ai_system": system.pk, **SECTIONS})
    services.impact_create(ctx=ctx, assessment_id=a.pk, data=IMPACT)
    a = services.assessment_submit(ctx=ctx, assessment_id=a.pk, version=1)
    a = submitted_on(a, timezone.localdate() - datetime.timedelta(days=400))
    services.assessment_approve(ctx=admin_ctx, assessment_id=a.pk, version=a.version,
                                approved_on=timezone.localdate() - datetime.timedelta(days=400))
    base = _base(org)

    def names(**q):
        r = api.get(base, q)
        assert r.status_code == 200, r.content
        return [i["ai_system_name"] for i in r.json()["items"]]

    assert names() == ["Chatbot", "Credit decision engine"]
    assert names(due="overdue") == ["Credit decision engine"]
    assert names(status="needs_reassessment") == ["Credit decision engine"]
    assert names(status="draft") == ["Chatbot"]
    assert names(ai_system=str(other.pk)) == ["Chatbot"]
    assert names(trigger="interval") == []
    assert api.get(base, {"status": "bogus"}).status_code == 422
    item = api.get(base, {"due": "overdue"}).json()["items"][0]
    assert item["state"] == "needs_reassessment" and item["status"] == "approved"
    assert item["overdue"] is True


def test_impacts_list_and_raise_risk(org, api, draft):
    base = f"{_base(org)}/{draft.pk}/impacts"
    r = api.get(base)
    assert r.status_code == 200 and r.json()["count"] == 1
    impact = r.json()["items"][0]
    r = api.post(f"{base}/{impact['id']}/raise-risk", {"version": impact["version"]})
    assert r.status_code == 201, r.content
    assert r.json()["linked_risk_ref"] == "R-001"
    r = api.post(f"{base}/{impact['id']}/raise-risk", {"version": r.json()["version"]})
    assert r.status_code == 422 and "linked_risk" in r.json()["errors"]


def test_pdf_endpoint(org, members, api_client_for, approved, system):
    r = api_client_for(members["auditor"]).get(f"{_base(org)}/{approved.pk}/pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
                    .split())
    assert system.name in text and "version 1" in text
    assert IMPACT["description"][:40] in text
    assert members["admin"].display_name in text


def test_settings(org, members, api, api_client_for):
    url = f"/api/v1/orgs/{org.slug}/impact-settings"
    assert api.get(url).json() == {"reassessment_interval_months": 12, "version": 1}
    assert api.patch(url, {"version": 1, "reassessment_interval_months": 6}).status_code == 403
    owner = api_client_for(members["owner"])
    assert owner.patch(url, {"version": 1, "reassessment_interval_months": 0}).status_code == 422
    r = owner.patch(url, {"version": 1, "reassessment_interval_months": 6})
    assert r.json() == {"reassessment_interval_months": 6, "version": 2}
    r = owner.patch(url, {"version": 1, "reassessment_interval_months": 24})
    assert r.status_code == 409 and r.json()["current"]["reassessment_interval_months"] == 6


def test_change_log_over_the_api(org, api, api_client_for, members, approved, system):
    url = f"/api/v1/orgs/{org.slug}/ai-systems/{system.pk}/changes"
    r = api.post(url, {"description": "New data source.", "significant": True,
                       "changed_on": timezone.localdate().isoformat()})
    assert r.status_code == 201, r.content
    assert r.json()["recorded_by"] == str(members["editor"].pk)
    r = api.get(url)
    assert r.json()["count"] == 1 and r.json()["items"][0]["significant"] is True
    assert api.get(f"{_base(org)}/{approved.pk}").json()["status"] == "needs_reassessment"
    viewer = api_client_for(members["viewer"])
    assert viewer.post(url, {"description": "x"}).status_code == 403
    assert viewer.get(url).status_code == 200


# ---------------------------------------------------------------- bounded queries


_numbers = itertools.count()


def _grow(org, n):
    """n more systems, each with an approved assessment (different people) and a change."""
    owner_ctx = ctx_for(org, add_member(org, "owner", email=f"o{next(_numbers)}@acme.example.com"))
    for _ in range(n):
        seq = next(_numbers)
        editor = ctx_for(org, add_member(org, "editor", email=f"e{seq}@acme.example.com"))
        admin = ctx_for(org, add_member(org, "admin", email=f"a{seq}@acme.example.com"))
        system = make_ai_system(owner_ctx, name=f"QC system {seq}", owner=editor.user.pk)
        a = services.assessment_create(ctx=editor, data={"ai_system": system.pk, **SECTIONS})
        services.impact_create(ctx=editor, assessment_id=a.pk, data=IMPACT)
        a = services.assessment_submit(ctx=editor, assessment_id=a.pk, version=a.version)
        services.assessment_approve(ctx=admin, assessment_id=a.pk, version=a.version)
        impact = a.impacts.get()
        services.impact_raise_risk(ctx=editor, assessment_id=a.pk, impact_id=impact.pk,
                                   version=impact.version)

LISTS = [
    ("/api/v1/orgs/{slug}/impact-assessments", 6),
    ("/o/{slug}/impact-assessments/", 8 + SESSION),
]


def test_lists_run_a_fixed_number_of_queries(org, members, api_client_for, web_client_for,
                                             django_assert_max_num_queries):
    user = members["viewer"]
    api, web = api_client_for(user), web_client_for(user)
    pages = {}
    for path, bound in LISTS:
        client = api if path.startswith("/api/") else web
        pages[path] = (lambda client=client, path=path: client.get(path.format(slug=org.slug)),
                       bound)
    assert_flat(pages, lambda n: _grow(org, n), django_assert_max_num_queries, steps=(5, 40))


def test_per_system_lists_run_a_fixed_number_of_queries(org, members, ctx, admin_ctx,
                                                        api_client_for, web_client_for,
                                                        django_assert_max_num_queries):
    from aims.impact.tests.conftest import approve_next
    from aims.inventory.services import system_change_record

    system = make_ai_system(ctx, name="Versioned system")
    api, web = api_client_for(members["viewer"]), web_client_for(members["viewer"])
    latest = None
    counts: dict[str, list[int]] = {}
    for n in (5, 40):
        while (latest.number if latest else 0) < n:
            latest = approve_next(ctx, admin_ctx, system)
            system_change_record(ctx=ctx, system_id=system.pk,
                                 data={"description": "Tuned the threshold."})
        for name, client, url, bound in (
            ("history", web, f"/o/{org.slug}/impact-assessments/systems/{system.pk}/",
             7 + SESSION),
            ("detail", web, f"/o/{org.slug}/impact-assessments/{latest.pk}/", 10 + SESSION),
            ("detail evidence tab", web,
             f"/o/{org.slug}/impact-assessments/{latest.pk}/?tab=evidence", 10 + SESSION),
            ("detail versions tab", web,
             f"/o/{org.slug}/impact-assessments/{latest.pk}/?tab=versions", 10 + SESSION),
            ("detail history tab", web,
             f"/o/{org.slug}/impact-assessments/{latest.pk}/?tab=history", 12 + SESSION),
            ("system page", web, f"/o/{org.slug}/ai-systems/{system.pk}/?tab=assessments",
             14 + SESSION),
            ("system change log", web, f"/o/{org.slug}/ai-systems/{system.pk}/?tab=changes",
             10 + SESSION),
            ("impacts", api, f"{_base(org)}/{latest.pk}/impacts", 5),
            ("changes", api, f"/api/v1/orgs/{org.slug}/ai-systems/{system.pk}/changes", 5),
        ):
            assert client.get(url).status_code == 200
            with django_assert_max_num_queries(bound) as captured:
                assert client.get(url).status_code == 200
            counts.setdefault(name, []).append(len(captured))
    assert all(a == b for a, b in counts.values()), counts
