"""Browser fixtures: one headless Chromium per session, a fresh context and page per test.

The browser is the system Chromium (`/usr/bin/chromium`, override with AIMS_CHROMIUM); no
browser is downloaded. Tests drive pytest-django's `live_server`. On failure the page is
saved as a screenshot under test-artifacts/ (gitignored).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from aims.testing.factories import PASSWORD

if TYPE_CHECKING:
    from aims.accounts.models import User
    from aims.orgs.models import Organization

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from
# a thread with a running loop unless told it is fine (it is: nothing here is async).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("AIMS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# How long an action or a navigation may wait, and an expectation may take to come true.
# Guards, not speeds: a passing step never waits for them. `make test` runs the browser tests
# beside other legs, so a page that builds a report (an audit pack, a technical file) can take
# tens of seconds on a busy two-core machine.
TIMEOUT_MS = 60_000
EXPECT_TIMEOUT_MS = 20_000


@dataclass
class BrowserErrors:
    """JavaScript errors seen on the page: console.error messages and uncaught exceptions."""

    console: list[str] = field(default_factory=list)
    uncaught: list[str] = field(default_factory=list)
    # Console lines a test expects (e.g. Chromium's note about a deliberate 422 response).
    allowed: list[re.Pattern] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    @property
    def unexpected(self) -> list[str]:
        console = [m for m in self.console if not any(p.search(m) for p in self.allowed)]
        return console + self.uncaught


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.skip(f"No Chromium at {CHROMIUM}")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                     headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_errors() -> BrowserErrors:
    return BrowserErrors()


@pytest.fixture
def page(request, browser, browser_errors):
    context = browser.new_context(accept_downloads=True, locale="en-GB",
                                  viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()

    def on_console(msg):
        if msg.type == "error":
            loc = msg.location or {}
            browser_errors.console.append(f"{msg.text} ({loc.get('url', '?')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: browser_errors.uncaught.append(str(exc)))
    yield page
    failed = any(getattr(request.node, f"rep_{w}", None) and getattr(request.node, f"rep_{w}").failed
                 for w in ("setup", "call"))
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
        except Exception as exc:  # the page may be gone; the failure itself matters more
            print(f"Could not save a screenshot: {exc}")
    context.close()


# ---------------------------------------------------------------- shared steps of the workflows



def sign_in(page, base: str, email: str) -> None:
    """Sign in with UserFactory's password and land on the home page of the organisation
    `acme`."""
    from playwright.sync_api import expect

    # The first page of a test server may take a while on a busy machine.
    page.goto(f"{base}/account/sign-in/", timeout=60_000)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))


# Screenshots of the workflows' pages, for a person to look at, not for the tests: taken when
# AIMS_SCREENSHOTS is set, into test-artifacts/ (or into the directory it names).
SHOTS = os.environ.get("AIMS_SCREENSHOTS", "")


def screenshots(page, name: str) -> None:
    """With AIMS_SCREENSHOTS set, the page at desktop and phone widths (NAME-1440.png,
    NAME-390.png); the viewport is put back afterwards."""
    if not SHOTS:
        return
    folder = ARTIFACTS if SHOTS in ("1", "yes", "true") else Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 1000})
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(size)


@dataclass
class Acme:
    """The organisation `acme` of a browser test, with an admin and an editor, served at
    `base`."""

    org: Organization
    admin: User
    editor: User
    base: str

    def ai_system(self, name: str):
        """An AI system of acme, made by its editor."""
        from aims.testing.factories import ctx_for, make_ai_system

        return make_ai_system(ctx_for(self.org, self.editor), name=name)


@pytest.fixture
def acme(live_server) -> Acme:
    """Acme Lending with an admin and an editor, on a live server with the catalog loaded."""
    from aims.catalog.services import catalog_load_all
    from aims.testing.factories import add_member, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    org = make_org("acme", "Acme Lending")
    return Acme(org=org, admin=add_member(org, "admin"), editor=add_member(org, "editor"),
                base=live_server.url)
