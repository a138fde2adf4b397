"""The obligations in the API (list with status, owner and evidence; one; PATCH with 409 and
422) and the web UI (the calendar's filters and inline edit, an obligation's page, the AI
system's EU AI Act tab), with query bounds at two sizes."""

from __future__ import annotations

import pytest

from aims.aiact.models import ObligationItem
from aims.aiact.services import classification_save, obligation_item_update
from aims.aiact.tests.probe import HIGH_RISK
from aims.evidence.services import evidence_create
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db


@pytest.fixture
def system(ctx):
    s = make_ai_system(ctx, name="CV ranker", roles=["provider", "deployer"],
                       eu_risk_class="unassessed")
    classification_save(ctx=ctx, system_id=s.pk, answers=HIGH_RISK, version=0)
    return s


def item_of(ctx, system, ref="Art. 9", role="provider") -> ObligationItem:
    return ObligationItem.objects.for_org(ctx.org).get(ai_system=system, ref=ref, role=role)


def _form(item, **values):
    prefix = f"o{item.pk.hex[:8]}-"
    base = {"status": item.status, "status_reason": "", "owner": "", "notes": "",
            "last_reviewed": "", "version": item.version}
    return {prefix + k: v for k, v in {**base, **values}.items()}


# ------------------------------------------------------------------------------------ API


def test_list_keeps_its_fields_and_adds_status_owner_evidence(api, ctx, org, system, members):
    item = item_of(ctx, system)
    obligation_item_update(ctx=ctx, item_id=item.pk, version=item.version,
                           data={"status": "in_progress", "owner": members["editor"].pk})
    evidence_create(ctx=ctx, data={"title": "Risk procedure", "kind": "note",
                                   "note": "RM-01."}, links=[item])
    rows = api.get(f"/api/v1/orgs/{org.slug}/obligations").json()
    row = next(r for r in rows if r["id"] == str(item.pk))
    for key in ("ai_system", "ai_system_name", "system_class", "ref", "title", "role", "duty",
                "applies_from", "timeline_key", "timeline_label", "in_force", "days_left",
                "item_status", "item_owner"):
        assert key in row
    assert row["status"] == row["item_status"] == "in_progress"
    assert row["owner"] == str(members["editor"].pk)
    assert row["owner_email"] == row["item_owner"] == members["editor"].email
    assert row["evidence_count"] == 1 and row["applies"] and row["version"] == 2
    mine = api.get(f"/api/v1/orgs/{org.slug}/obligations",
                   {"owner": str(members["editor"].pk)}).json()
    assert [r["id"] for r in mine] == [str(item.pk)]
    started = api.get(f"/api/v1/orgs/{org.slug}/obligations", {"status": "in_progress"}).json()
    assert [r["id"] for r in started] == [str(item.pk)]
    assert api.get(f"/api/v1/orgs/{org.slug}/obligations",
                   {"status": "sleeping"}).status_code == 422


def test_get_and_patch_one(api, ctx, org, system, members):
    item = item_of(ctx, system)
    url = f"/api/v1/orgs/{org.slug}/obligations/{item.pk}"
    got = api.get(url).json()
    assert got["ref"] == "Art. 9" and got["status"] == "not_started" and got["fria"] is None
    r = api.patch(url, {"version": item.version, "status": "met",
                        "owner": str(members["viewer"].pk), "notes": "Done and filed."})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "met" and r.json()["version"] == item.version + 1
    stale = api.patch(url, {"version": item.version, "status": "in_progress"})
    assert stale.status_code == 409
    bad = api.patch(url, {"version": item.version + 1, "status": "not_applicable",
                          "status_reason": "tbd"})
    assert bad.status_code == 422 and "status_reason" in bad.content.decode()
    moved = api.patch(url, {"version": item.version + 1, "ref": "Art. 1"})
    assert moved.status_code == 422
    assert item_of(ctx, system).status == "met"


def test_patch_needs_the_compliance_role(api_client_for, org, ctx, system, members):
    item = item_of(ctx, system)
    r = api_client_for(members["viewer"]).patch(f"/api/v1/orgs/{org.slug}/obligations/{item.pk}",
                                         {"version": item.version, "status": "met"})
    assert r.status_code == 403


# ------------------------------------------------------------------------------------ web


def test_inline_edit_keeps_typed_text_on_error_then_saves(web_client_for, members, org, ctx,
                                                          system):
    c = web_client_for(members["editor"])
    item = item_of(ctx, system, "Art. 50")
    url = f"/o/{org.slug}/eu-ai-act/obligations/{item.pk}/edit/"
    form = c.get(url, HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and b"<form" in form.content and b"<html" not in form.content
    r = c.post(url, _form(item, status="not_applicable", status_reason="n/a",
                          notes="Typed notes stay."), HTTP_HX_REQUEST="true")
    assert r.status_code == 422
    body = r.content.decode()
    assert "Typed notes stay." in body and "reason" in body
    reason = "Applicants never talk to the ranker: recruiters read its scores only."
    r = c.post(url, _form(item, status="not_applicable", status_reason=reason,
                          owner=str(members["viewer"].pk)), HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Not applicable" in body and "Saved" in body and "<html" not in body
    saved = item_of(ctx, system, "Art. 50")
    assert saved.status == "not_applicable" and saved.owner == members["viewer"]


def test_full_page_edit_conflict_and_redirect(web_client_for, members, org, ctx, system):
    c = web_client_for(members["editor"])
    item = item_of(ctx, system)
    url = f"/o/{org.slug}/eu-ai-act/obligations/{item.pk}/edit/?from=item"
    obligation_item_update(ctx=ctx, item_id=item.pk, version=item.version,
                           data={"notes": "Someone else."})
    r = c.post(url, _form(item, status="met", notes="Mine."))
    assert r.status_code == 409 and "Mine." in r.content.decode()
    r = c.post(url, _form(item_of(ctx, system), status="met", notes="Mine."))
    assert r.status_code == 302 and r["Location"].endswith(f"/obligations/{item.pk}/")


def test_viewer_sees_no_edit_and_cannot_post(web_client_for, members, org, ctx, system):
    c = web_client_for(members["viewer"])
    body = c.get(f"/o/{org.slug}/eu-ai-act/obligations/").content.decode()
    assert "Art. 9" in body and "/edit/" not in body
    item = item_of(ctx, system)
    r = c.post(f"/o/{org.slug}/eu-ai-act/obligations/{item.pk}/edit/", _form(item, status="met"))
    assert r.status_code == 403


def test_calendar_filters_by_status_and_owner(web_client_for, members, org, ctx, system):
    item = item_of(ctx, system)
    obligation_item_update(ctx=ctx, item_id=item.pk, version=item.version,
                           data={"status": "met", "owner": members["auditor"].pk})
    c = web_client_for(members["viewer"])
    base = f"/o/{org.slug}/eu-ai-act/obligations/"
    met = c.get(base, {"status": "met"}).content.decode()
    assert f'id="ob-{item.pk}"' in met and met.count('id="ob-') == 1
    owned = c.get(base, {"owner": str(members["auditor"].pk)}).content.decode()
    assert owned.count('id="ob-') == 1
    nobody = c.get(base, {"owner": "none"}).content.decode()
    assert f'id="ob-{item.pk}"' not in nobody and nobody.count('id="ob-') > 1


def test_obligation_page_shows_evidence_and_the_system_tab_lists_obligations(
        web_client_for, members, org, ctx, system):
    item = item_of(ctx, system)
    evidence_create(ctx=ctx, data={"title": "Risk procedure RM-01", "kind": "note",
                                   "note": "Approved."}, links=[item])
    c = web_client_for(members["viewer"])
    page = c.get(f"/o/{org.slug}/eu-ai-act/obligations/{item.pk}/").content.decode()
    assert "Risk procedure RM-01" in page and "Run a risk management system" in page
    tab = c.get(f"/o/{org.slug}/ai-systems/{system.pk}/?tab=aiact").content.decode()
    assert "Art. 9" in tab and "Not started" in tab and "High risk" in tab


@pytest.mark.parametrize("n", [2, 8])
def test_calendar_and_tab_queries_do_not_grow(web_client_for, members, ctx, org, n,
                                              django_assert_max_num_queries):
    systems = []
    for i in range(n):
        s = make_ai_system(ctx, name=f"Ranker {i}", roles=["provider", "deployer"],
                           eu_risk_class="unassessed")
        classification_save(ctx=ctx, system_id=s.pk, answers=HIGH_RISK, version=0)
        item = item_of(ctx, s)
        obligation_item_update(ctx=ctx, item_id=item.pk, version=item.version,
                               data={"owner": members["editor"].pk, "status": "in_progress"})
        evidence_create(ctx=ctx, data={"title": f"Proof {i}", "kind": "note", "note": "x"},
                        links=[item])
        systems.append(s)
    c = web_client_for(members["viewer"])
    with django_assert_max_num_queries(22):
        r = c.get(f"/o/{org.slug}/eu-ai-act/obligations/")
        assert r.status_code == 200
    assert r.content.decode().count('id="ob-') >= n * 15
    with django_assert_max_num_queries(30):
        assert c.get(f"/o/{org.slug}/ai-systems/{systems[0].pk}/?tab=aiact").status_code == 200
