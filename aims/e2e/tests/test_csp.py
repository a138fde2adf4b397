"""The Content-Security-Policy in a real browser: the main pages, an htmx edit in place and a
form work with no violation reported."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from aims.testing.factories import PASSWORD

pytestmark = pytest.mark.browser

WATCH = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
         "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + "
         "(e.sourceFile || '') + ':' + e.lineNumber));")


def test_main_pages_report_no_csp_violation(live_server, page: Page, browser_errors):
    from django.urls import get_resolver

    from aims.catalog.services import catalog_load_all
    from aims.testing.factories import add_member, ctx_for, make_ai_system, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    assert get_resolver().url_patterns
    org = make_org("acme", "Acme Lending")
    editor = add_member(org, "editor", email="editor@acme.example.com")
    system = make_ai_system(ctx_for(org, editor), name="Credit decision engine")
    base = live_server.url
    page.add_init_script(WATCH)

    violations: list[str] = []

    def visit(path: str) -> None:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert "default-src 'self'" in (response.headers.get("content-security-policy") or "")
        page.wait_for_load_state("load")
        violations.extend(f"{path}: {v}" for v in page.evaluate("window.__csp || []"))

    visit("/account/sign-in/")
    page.get_by_label("E-mail address").fill(editor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))

    for path in ("/o/acme/", "/o/acme/ai-systems/", f"/o/acme/ai-systems/{system.pk}/",
                 "/o/acme/risks/new/", "/o/acme/evidence/", "/o/acme/soa/"):
        visit(path)

    # An htmx edit in place on the SoA: the row becomes a form and back.
    row = page.locator("#ctl-A\\.6\\.2\\.6")
    row.get_by_role("button", name="Edit A.6.2.6").click()
    expect(row.get_by_role("button", name="Cancel")).to_be_visible()
    row.get_by_role("button", name="Cancel").click()
    expect(page.locator("#ctl-A\\.6\\.2\\.6").get_by_role("button", name="Edit A.6.2.6")) \
        .to_be_visible()
    violations.extend(f"soa htmx: {v}" for v in page.evaluate("window.__csp || []"))

    # A form: a risk added through the web form.
    visit("/o/acme/risks/new/")
    page.locator("input[name=title]").fill("Thin-file applicants declined unfairly")
    browser_errors.allow(r"status of 422")  # a form with a missing field comes back 422
    page.get_by_role("button", name="Add risk").click()
    page.wait_for_load_state("load")
    violations.extend(f"risk form: {v}" for v in page.evaluate("window.__csp || []"))

    assert violations == []
    assert not [m for m in browser_errors.unexpected if "Content Security Policy" in m]
    assert browser_errors.unexpected == []
