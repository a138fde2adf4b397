"""The questionnaire page, its versions and the obligation calendar in the web UI."""

from __future__ import annotations

import pytest

from aims.aiact.models import ClassificationVersion
from aims.aiact.services import classification_save
from aims.aiact.tests.probe import HIGH_RISK
from aims.testing.factories import make_ai_system


@pytest.fixture
def system(ctx):
    return make_ai_system(ctx, name="CV ranker", roles=["provider", "deployer"],
                          eu_risk_class="unassessed")


def page(org, system, rest=""):
    return f"/o/{org.slug}/eu-ai-act/ai-systems/{system.pk}/classification/{rest}"


def test_questions_appear_as_the_answers_need_them(web_client_for, members, org, system):
    c = web_client_for(members["editor"])
    body = c.get(page(org, system)).content.decode()
    assert "supports, and does not replace, legal advice" in body
    assert 'name="ai_system"' in body and 'name="exclusion"' not in body
    body = c.get(page(org, system), {"edit": "1", "version": "0", "ai_system": "yes",
                                     "gpai_model": "no"}).content.decode()
    assert 'name="exclusion"' in body and 'name="annex_iii"' not in body
    assert "<script>" not in body and " onclick=" not in body


def test_saving_through_the_page(web_client_for, members, org, system):
    c = web_client_for(members["editor"])
    data = {"version": "0", "shown": ["prohibited", "annex_iii", "transparency"],
            **{k: v for k, v in HIGH_RISK.items()}}
    r = c.post(page(org, system), data)
    assert r.status_code == 302
    saved = ClassificationVersion.objects.for_org(org).get(ai_system=system)
    assert saved.result_class == "high" and saved.answers["annex_iii"] == ["4a"]
    body = c.get(page(org, system)).content.decode()
    assert "Result:" in body and "Art. 6(3), last subparagraph" in body and "Version 1" in body


def test_a_missing_answer_keeps_what_was_typed_and_names_the_question(web_client_for, members,
                                                                      org, system):
    c = web_client_for(members["editor"])
    data = {"version": "0", "shown": ["prohibited", "annex_iii"], "ai_system": "yes",
            "gpai_model": "no", "exclusion": "none", "annex_i": "none", "annex_iii": ["5b"]}
    r = c.post(page(org, system), data)
    assert r.status_code == 422
    body = r.content.decode()
    assert "answer “Does it profile people" in body
    assert 'value="5b" checked' in body
    assert not ClassificationVersion.objects.for_org(org).exists()


def test_stale_page_gets_409(web_client_for, members, ctx, org, system):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    c = web_client_for(members["editor"])
    data = {"version": "0", "shown": ["prohibited", "annex_iii", "transparency"], **HIGH_RISK}
    assert c.post(page(org, system), data).status_code == 409


def test_viewer_sees_no_save_button(web_client_for, members, org, system):
    body = web_client_for(members["viewer"]).get(page(org, system)).content.decode()
    assert "Save classification" not in body
    r = web_client_for(members["viewer"]).post(page(org, system), {"version": "0", **HIGH_RISK})
    assert r.status_code in (403, 422)
    assert not ClassificationVersion.objects.for_org(org).exists()


def test_versions_and_system_page_link(web_client_for, members, ctx, org, system):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    c = web_client_for(members["viewer"])
    body = c.get(page(org, system, "versions/")).content.decode()
    assert "Version 1" in body and "High risk" in body
    body = c.get(f"/o/{org.slug}/ai-systems/{system.pk}/").content.decode()
    assert page(org, system) in body


def test_calendar_groups_by_date_with_days_left(web_client_for, members, ctx, org, system):
    c = web_client_for(members["viewer"])
    body = c.get(f"/o/{org.slug}/eu-ai-act/obligations/").content.decode()
    assert "not classified" in body and "CV ranker" in body
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    body = c.get(f"/o/{org.slug}/eu-ai-act/obligations/").content.decode()
    assert "2 December 2027" in body and "Art. 26" in body and "Art. 9" in body
    body = c.get(f"/o/{org.slug}/eu-ai-act/obligations/",
                 {"date_to": "2026-12-31"}).content.decode()
    assert "2 December 2027" not in body and "1 February" not in body


@pytest.mark.parametrize("n", [2, 8])
def test_calendar_queries_do_not_grow_with_systems(web_client_for, members, ctx, org, n,
                                                   django_assert_max_num_queries):
    for i in range(n):
        s = make_ai_system(ctx, name=f"Ranker {i}", roles=["provider"], eu_risk_class="unassessed")
        classification_save(ctx=ctx, system_id=s.pk, answers=HIGH_RISK, version=0)
    c = web_client_for(members["viewer"])
    with django_assert_max_num_queries(20):
        assert c.get(f"/o/{org.slug}/eu-ai-act/obligations/").status_code == 200
