"""The EU AI Act routes of the API: classification get/put, versions, obligations."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from aims.aiact.services import classification_save
from aims.aiact.tests.probe import HIGH_RISK
from aims.aiact.tests.test_engine import case
from aims.testing.factories import make_ai_system


@pytest.fixture
def system(ctx):
    return make_ai_system(ctx, name="CV ranker", roles=["deployer"], eu_risk_class="unassessed")


def url(org, system, rest=""):
    return f"/api/v1/orgs/{org.slug}/ai-systems/{system.pk}/classification{rest}"


def test_before_the_first_classification(api, org, system):
    r = api.get(url(org, system))
    assert r.status_code == 200
    body = r.json()
    assert body["version"] == 0 and body["class"] is None and body["trace"] == []
    assert [q["id"] for q in body["questions"]] == ["ai_system"]
    assert "does not replace" in body["legal_note"]


def test_put_classifies_and_get_returns_answers_class_and_trace(api, org, system):
    r = api.put(url(org, system), {"answers": HIGH_RISK, "version": 0})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["class"] == "high" and body["version"] == 1
    assert body["eu_risk_class"] == "high" and not body["eu_class_overridden"]
    step = next(s for s in body["trace"] if s["question_id"] == "profiling")
    assert set(step) == {"step", "question_id", "question", "answer", "article", "outcome"}
    assert step["article"] == "Art. 6(3), last subparagraph" and step["answer"] == "Yes"
    assert api.get(url(org, system)).json()["answers"] == body["answers"]
    versions = api.get(url(org, system, "/versions")).json()
    assert versions["count"] == 1 and versions["items"][0]["class"] == "high"
    assert versions["items"][0]["saved_by"].startswith("editor")


def test_put_stale_version_is_409_and_bad_answer_is_422_naming_the_question(api, org, system):
    assert api.put(url(org, system), {"answers": HIGH_RISK, "version": 0}).status_code == 200
    assert api.put(url(org, system), {"answers": HIGH_RISK, "version": 0}).status_code == 409
    r = api.put(url(org, system), {"answers": {**HIGH_RISK, "annex_iii": "4a"}, "version": 1})
    assert r.status_code == 422
    assert "answers.annex_iii" in r.content.decode()
    r = api.put(url(org, system), {"answers": HIGH_RISK})
    assert r.status_code == 422 and "version" in r.content.decode()


def test_viewer_reads_but_may_not_classify(api_client_for, members, org, system):
    viewer = api_client_for(members["viewer"])
    assert viewer.get(url(org, system)).status_code == 200
    assert viewer.put(url(org, system), {"answers": HIGH_RISK, "version": 0}).status_code == 403


def test_obligations_with_filters(api, ctx, org, system):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    chatbot = make_ai_system(ctx, name="Chatbot", roles=["provider"], eu_risk_class="unassessed")
    classification_save(ctx=ctx, system_id=chatbot.pk, answers=case(transparency=["50_1"]),
                        version=0)
    base = f"/api/v1/orgs/{org.slug}/obligations"
    rows = api.get(base).json()
    assert {(r["ai_system_name"], r["ref"], r["role"]) for r in rows} >= {
        ("CV ranker", "Art. 26", "deployer"), ("Chatbot", "Art. 50", "provider")}
    art26 = next(r for r in rows if r["ref"] == "Art. 26")
    assert art26["applies_from"] == "2027-12-02" and art26["timeline_key"] == "high_risk_annex_iii"
    today = timezone.localdate()
    assert art26["days_left"] == max(0, (datetime.date(2027, 12, 2) - today).days)
    assert art26["item_status"] == "not_started" and art26["title"]
    only_chatbot = api.get(base, {"ai_system": str(chatbot.pk)}).json()
    assert {r["ai_system_name"] for r in only_chatbot} == {"Chatbot"}
    window = api.get(base, {"date_from": "2026-01-01", "date_to": "2026-12-31"}).json()
    assert {(r["ref"], r["applies_from"]) for r in window} == {("Art. 50", "2026-08-02")}
    assert api.get(base, {"date_from": "soon"}).status_code == 422
