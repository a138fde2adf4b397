"""Integrations in a real browser: an admin issues an integration token limited to one
control from the members' area and sees its secret once; an editor imports a model card on an
AI system and reads what the card leaves empty."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from aims.e2e.conftest import Acme, screenshots, sign_in

pytestmark = pytest.mark.browser

CARD = Path(__file__).resolve().parents[2] / "integrations" / "tests" / "data" / "empty_card.md"


def test_issue_a_token_and_import_a_model_card(acme: Acme, page: Page, browser_errors):
    admin, editor, base = acme.admin, acme.editor, acme.base
    system = acme.ai_system("Claims triage model")

    sign_in(page, base, admin.email)
    page.goto(f"{base}/o/acme/members/")
    page.get_by_role("link", name="Integration tokens for pipelines and tools").click()
    expect(page.get_by_text("No integration tokens yet.")).to_be_visible()
    screenshots(page, "integrations-tokens-empty")
    page.get_by_label("Name").fill("claims-model CI")
    page.get_by_label("Only these controls").fill("A.6.2.4")
    page.get_by_label("Claims triage model").check()
    page.get_by_role("button", name="Create the token").click()
    expect(page.get_by_role("heading", name=re.compile("Copy the token"))).to_be_visible()
    expect(page.get_by_label("Token")).to_have_value(re.compile(r"^aimsi_"))
    expect(page.get_by_role("row", name=re.compile("claims-model CI"))).to_contain_text(
        "Controls A.6.2.4")
    screenshots(page, "integrations-tokens-created")

    page.context.clear_cookies()
    sign_in(page, base, editor.email)
    page.goto(f"{base}/o/acme/ai-systems/{system.pk}/")
    page.get_by_role("link", name="Import a model card").click()
    page.get_by_label("Model card").set_input_files(str(CARD))
    page.get_by_role("button", name="Import the card").click()
    expect(page.get_by_role("heading", name="What the card leaves empty")).to_be_visible()
    expect(page.get_by_text("Limitations: no section says it.")).to_be_visible()
    screenshots(page, "integrations-model-card")
