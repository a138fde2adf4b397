"""Integrations in a real browser: an admin issues an integration token limited to one
control from the members' area and sees its secret once; an editor imports a model card on an
AI system and reads what the card leaves empty."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from aims.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"  # UserFactory's password
CARD = Path(__file__).resolve().parents[2] / "integrations" / "tests" / "data" / "empty_card.md"


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))


def _shots(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 1000})
        page.screenshot(path=str(ARTIFACTS / f"integrations-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_issue_a_token_and_import_a_model_card(live_server, page: Page, browser_errors):
    from aims.catalog.services import catalog_load_all
    from aims.testing.factories import add_member, ctx_for, make_ai_system, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    org = make_org("acme", "Acme Lending")
    admin = add_member(org, "admin")
    editor = add_member(org, "editor")
    system = make_ai_system(ctx_for(org, editor), name="Claims triage model")
    base = live_server.url

    sign_in(page, base, admin.email)
    page.goto(f"{base}/o/acme/members/")
    page.get_by_role("link", name="Integration tokens for pipelines and tools").click()
    expect(page.get_by_text("No integration tokens yet.")).to_be_visible()
    _shots(page, "tokens-empty")
    page.get_by_label("Name").fill("claims-model CI")
    page.get_by_label("Only these controls").fill("A.6.2.4")
    page.get_by_label("Claims triage model").check()
    page.get_by_role("button", name="Create the token").click()
    expect(page.get_by_role("heading", name=re.compile("Copy the token"))).to_be_visible()
    expect(page.get_by_label("Token")).to_have_value(re.compile(r"^aimsi_"))
    expect(page.get_by_role("row", name=re.compile("claims-model CI"))).to_contain_text(
        "Controls A.6.2.4")
    _shots(page, "tokens-created")

    page.context.clear_cookies()
    sign_in(page, base, editor.email)
    page.goto(f"{base}/o/acme/ai-systems/{system.pk}/")
    page.get_by_role("link", name="Import a model card").click()
    page.get_by_label("Model card").set_input_files(str(CARD))
    page.get_by_role("button", name="Import the card").click()
    expect(page.get_by_role("heading", name="What the card leaves empty")).to_be_visible()
    expect(page.get_by_text("Limitations: no section says it.")).to_be_visible()
    _shots(page, "model-card")
