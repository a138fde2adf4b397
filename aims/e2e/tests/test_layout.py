"""The web UI's layout in a real browser, on the demo organisation's full record:

the SoA fits a 1,440 px screen (its edit buttons in view, its header in view while scrolling,
a row edited in place from the keyboard); an AI system's page opens its tabs; at 390 px the menu
button opens the navigation and no main page scrolls sideways; axe-core finds no serious or
critical accessibility violation on the main pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from aims.e2e.conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def demo(live_server):
    """The demo organisation, and the addresses of the main pages in it."""
    from aims.catalog.services import catalog_load_all
    from aims.demo.build import DEFAULT_PASSWORD, demo_create
    from aims.inventory.models import AISystem
    from aims.risks.models import Risk

    catalog_load_all()  # a transactional test before this one may have flushed it
    result = demo_create()
    org = result.org
    base = f"{live_server.url}/o/{org.slug}"
    system = AISystem.objects.for_org(org).order_by("name").first()
    risk = Risk.objects.for_org(org).order_by("ref").first()
    pages = {
        "dashboard": f"{base}/",
        "readiness": f"{base}/readiness/",
        "inventory": f"{base}/ai-systems/",
        "AI system": f"{base}/ai-systems/{system.pk}/",
        "risk register": f"{base}/risks/",
        "a risk": f"{base}/risks/{risk.pk}/",
        "SoA": f"{base}/soa/",
        "documents": f"{base}/documents/",
        "evidence": f"{base}/evidence/",
        "audits": f"{base}/audits/",
        "nonconformities": f"{base}/improvement/",
        "task board": f"{base}/tasks/",
        "my tasks": f"{base}/tasks/mine/",
        "members": f"{base}/members/",
        "a form": f"{base}/risks/new/",
    }
    return {"email": result.users["admin"], "password": DEFAULT_PASSWORD, "pages": pages,
            "system": system, "url": live_server.url}


def sign_in(page: Page, demo: dict) -> None:
    # The first request builds the URL map and the API schema: slow on a busy machine.
    page.goto(f"{demo['url']}/account/sign-in/", timeout=60_000)
    page.get_by_label("E-mail address").fill(demo["email"])
    page.get_by_label("Password").fill(demo["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def scroll_width(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_soa_fits_1440_and_edits_in_place_from_the_keyboard(demo, page: Page, browser_errors):
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, demo)
    page.goto(demo["pages"]["SoA"])
    table = page.locator("table.soa-table")
    expect(table).to_be_visible()
    # One table: every domain is a group of rows under the same header.
    assert page.locator("table.soa-table").count() == 1
    assert page.locator("tr.group-row").count() == 9
    assert scroll_width(page) <= 1440, scroll_width(page)
    edit = page.get_by_role("button", name="Edit A.10.4")
    box = edit.bounding_box()
    assert box and box["x"] + box["width"] <= 1440, box

    # The header stays in view while the table scrolls by.
    page.locator("#ctl-A\\.9\\.4").scroll_into_view_if_needed()
    top = page.evaluate("() => document.querySelector('table.soa-table thead th')"
                        ".getBoundingClientRect().top")
    assert 0 <= top <= 2, top

    # Filters live in the address, so a reload or a shared link keeps them.
    page.goto(demo["pages"]["SoA"] + "?status=in_progress")
    assert "status=in_progress" in page.url

    # Edit a row in place: the form takes the focus, Escape puts the row back.
    page.goto(demo["pages"]["SoA"])
    page.get_by_role("button", name="Edit A.10.4").focus()
    page.keyboard.press("Enter")
    form = page.get_by_role("form", name="Decision for A.10.4")
    expect(form).to_be_visible()
    assert page.evaluate("() => !!document.activeElement.closest('form[data-row-form]')")
    assert scroll_width(page) <= 1440, scroll_width(page)
    page.keyboard.press("Escape")
    expect(form).to_have_count(0)
    expect(page.get_by_role("button", name="Edit A.10.4")).to_be_visible()
    assert not browser_errors.unexpected, browser_errors.unexpected


def test_ai_system_page_opens_its_tabs(demo, page: Page, browser_errors):
    sign_in(page, demo)
    url = demo["pages"]["AI system"]
    page.goto(url)
    system = demo["system"]
    expect(page.get_by_role("heading", level=1, name=system.name)).to_be_visible()
    tabs = page.get_by_role("navigation", name=f"About {system.name}")
    expect(tabs.get_by_role("link", name="Overview")).to_have_attribute("aria-current", "page")
    # One History on the page, in its own tab; the overview holds the lifecycle.
    expect(page.get_by_role("heading", name="Lifecycle")).to_be_visible()
    expect(page.get_by_role("heading", name="History", exact=True)).to_have_count(0)

    for label, heading in [("Risks", "AI risks"), ("Assessments", "Impact assessment"),
                           ("Evidence", "Evidence"), ("Tasks", "Tasks"),
                           ("Change log", "Change log"), ("History", "History")]:
        with page.expect_response(lambda r: "tab=" in r.url and r.request.headers.get(
                "hx-request") == "true"):
            tabs.get_by_role("link", name=label, exact=True).click()
        expect(tabs.get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "page")
        expect(page.locator("#tab-panel").get_by_role("heading", level=2).first).to_contain_text(
            heading)
        assert re.search(r"\?tab=\w+$", page.url), page.url
    expect(page.get_by_role("heading", name="History", exact=True)).to_have_count(1)

    # A tab is a real address: opened directly, the whole page comes with that panel.
    page.goto(url + "?tab=risks")
    expect(page.get_by_role("heading", level=1, name=system.name)).to_be_visible()
    expect(page.locator("#tab-panel").get_by_role("heading", name="AI risks")).to_be_visible()
    assert not browser_errors.unexpected, browser_errors.unexpected


def test_narrow_screen_menu_and_no_sideways_scroll(demo, page: Page, browser_errors):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, demo)
    page.goto(demo["pages"]["dashboard"])
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("complementary", name="AIMS areas")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="AI risk register").click()
    expect(page.get_by_role("heading", level=1, name="AI risk register")).to_be_visible()
    expect(nav).to_be_hidden()  # a new page starts with the menu closed

    wide = {}
    for name, url in demo["pages"].items():
        page.goto(url)
        width = scroll_width(page)
        if width > 390:
            wide[name] = width
        # The header is not cut off: the brand and the menu button are in view.
        brand = page.get_by_role("link", name="aims", exact=True).bounding_box()
        assert brand is not None and brand["x"] >= 0
    assert not wide, f"pages scrolling sideways at 390 px: {wide}"
    assert not browser_errors.unexpected, browser_errors.unexpected


def test_axe_finds_no_serious_violation_on_the_main_pages(demo, browser):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (npm ci)")
    # axe is injected as a script of its own; the test context may bypass the page's CSP
    # for that, the pages themselves are unchanged.
    context = browser.new_context(bypass_csp=True, locale="en-GB",
                                  viewport={"width": 1440, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in(page, demo)
        found = {}
        for width in (1440, 390):
            page.set_viewport_size({"width": width, "height": 900})
            for name, url in demo["pages"].items():
                page.goto(url)
                page.add_script_tag(path=str(AXE))
                result = page.evaluate("""async () => {
                    const r = await axe.run(document, {resultTypes: ['violations']});
                    return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                      .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3)
                        .map(n => n.target.join(' ')).join(' | ')}`);
                }""")
                if result:
                    found[f"{name} at {width}"] = result
        assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())
    finally:
        context.close()
