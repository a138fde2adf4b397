"""The technical documentation (Annex IV) and post-market monitoring plan (Art. 72) drafted
from the record: which sections are complete, what each lists as missing, and the doors
(page, API, PDF) that show them."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from aims.inventory.services import ai_system_update
from aims.risks.services import risk_update
from aims.techfile.drafts import MONITORING_PLAN, TECHNICAL_FILE, draft_get
from aims.techfile.tests.conftest import add_data, add_monitor, add_risk
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db


def _sections(ctx, system, kind=TECHNICAL_FILE):
    return {s.key: s for s in draft_get(ctx=ctx, system_id=system.pk, kind=kind).sections}


def test_a_bare_record_lists_what_is_missing_with_links(ctx, provided):
    draft = draft_get(ctx=ctx, system_id=provided.pk, kind=TECHNICAL_FILE)
    assert draft.applies and not draft.complete
    s = {x.key: x for x in draft.sections}
    assert list(s) == ["description", "roles", "lifecycle", "data", "risks", "impact",
                       "oversight", "monitoring", "changes", "suppliers", "standards"]
    assert [g.text for g in s["description"].missing] == [
        "Describe “how it works” on the AI system record.",
        "Describe “where and how it runs” on the AI system record.",
        "Describe “who its outputs affect” on the AI system record.",
        "Name the member accountable for the system."]
    assert all(g.url for x in draft.sections for g in x.missing)
    assert not s["risks"].complete and not s["data"].complete and not s["impact"].complete
    assert not s["oversight"].complete and not s["monitoring"].complete
    assert s["roles"].complete and s["changes"].complete and s["suppliers"].complete


def test_filling_the_record_completes_its_sections(ctx, provided):
    system = ai_system_update(ctx=ctx, system_id=provided.pk, version=provided.version, data={
        "description": "Gradient-boosted model over bureau and application data.",
        "deployment_context": "Online loan applications in Germany and Austria.",
        "affected_parties": "Loan applicants.", "owner": ctx.user.pk,
        "human_oversight": "A credit officer reviews every decline before it is sent."})
    s = _sections(ctx, system)
    assert s["description"].complete and s["oversight"].complete
    risk = add_risk(ctx, system)
    assert [g.text for g in _sections(ctx, system)["risks"].missing] == [
        f"Decide the treatment of {risk.ref}."]
    risk_update(ctx=ctx, risk_id=risk.pk, version=risk.version, data={
        "treatment_option": "mitigate",
        "treatment_rationale": "Manual review of thin-file declines."})
    assert _sections(ctx, system)["risks"].complete
    data = add_data(ctx, system)
    assert [g.text for g in _sections(ctx, system)["data"].missing] == [
        f"Say how the quality of “{data.name}” is checked."]


def test_the_monitoring_plan_needs_thresholds_and_people(ctx, provided):
    add_monitor(ctx, provided, upper_threshold=None, analyst=None)
    s = _sections(ctx, provided, MONITORING_PLAN)
    assert list(s) == ["description", "monitoring", "thresholds", "responsibilities",
                       "incidents", "risks", "changes"]
    assert s["monitoring"].complete
    assert "Set a threshold" in s["thresholds"].missing[0].text
    assert any("who analyses" in g.text for g in s["responsibilities"].missing)


def test_the_documents_are_the_providers(ctx):
    deployed_only = make_ai_system(ctx, name="Bought-in scorer", roles=["deployer"])
    draft = draft_get(ctx=ctx, system_id=deployed_only.pk, kind=TECHNICAL_FILE)
    assert not draft.applies and "provider" in draft.why
    minimal = make_ai_system(ctx, name="Spam filter", roles=["provider"],
                             eu_risk_class="minimal")
    assert not draft_get(ctx=ctx, system_id=minimal.pk, kind=TECHNICAL_FILE).applies


def test_api_returns_sections_with_gaps_and_a_pdf(api, org, provided):
    base = f"/api/v1/orgs/{org.slug}/ai-systems/{provided.pk}/documents"
    out = api.get(f"{base}/technical-file").json()
    assert out["applies"] is True and out["complete"] is False
    oversight = next(s for s in out["sections"] if s["key"] == "oversight")
    assert oversight["complete"] is False and oversight["missing"][0]["url"].endswith("/edit/")
    assert api.get(f"{base}/nonsense").status_code == 422
    for kind, headings in ((TECHNICAL_FILE, ["General description and intended purpose",
                                             "Data resources", "Risks and their treatment",
                                             "Impact assessment", "Human oversight",
                                             "Standards and specifications applied"]),
                           (MONITORING_PLAN, ["Performance monitoring", "When to act",
                                              "Who does what",
                                              "Incidents and serious-incident reporting"])):
        res = api.get(f"{base}/{kind}/pdf")
        assert res.status_code == 200 and res["Content-Type"] == "application/pdf"
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(res.content)).pages)
        for h in headings:
            assert h in text, (kind, h)
        assert "Missing:" in text and "Loan scorer" in text


def test_the_page_shows_sections_and_fix_links(web_client_for, members, org, ctx, provided):
    web = web_client_for(members["viewer"])
    html = web.get(reverse("techfile:draft", args=[org.slug, provided.pk, TECHNICAL_FILE])
                   ).content.decode()
    assert "Technical documentation (EU AI Act, Annex IV)" in html
    assert "What is missing" in html and "Fix this" in html
    assert reverse("inventory:edit", args=[org.slug, provided.pk]) in html
    assert web.get(reverse("techfile:draft", args=[org.slug, provided.pk, "x"])
                   ).status_code == 404
    detail = web.get(reverse("inventory:detail", args=[org.slug, provided.pk])).content.decode()
    assert reverse("techfile:draft", args=[org.slug, provided.pk, TECHNICAL_FILE]) in detail


@pytest.mark.parametrize("n", [1, 8])
def test_the_page_takes_a_bounded_number_of_queries(web_client_for, members, org, ctx, provided,
                                                    django_assert_max_num_queries, n):
    for i in range(n):
        add_risk(ctx, provided, title=f"Risk {i}", treatment_option="accept",
                 treatment_rationale="The leftover exposure is small and the risk owner reviews it quarterly.")
        add_data(ctx, provided, name=f"Data set {i}")
        add_monitor(ctx, provided, name=f"Monitor {i}")
    web = web_client_for(members["viewer"])
    for kind in (TECHNICAL_FILE, MONITORING_PLAN):
        with django_assert_max_num_queries(40):
            assert web.get(reverse("techfile:draft", args=[org.slug, provided.pk, kind])
                           ).status_code == 200
