"""The improvement loop in a real browser, the way the people involved would do it:

the auditor records a finding on an audit's checklist and raises a nonconformity from it; the
editor analyses the cause, plans a corrective action and completes it; the auditor verifies
that it worked and closes the nonconformity.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from aims.e2e.conftest import TIMEOUT_MS, sign_in

pytestmark = pytest.mark.browser

REF = "A.6.2.6"
NOTES = ("Drift alerts are defined in the monitoring standard but were never switched on in "
         "production: nobody was told when stability passed its threshold.")
ROOT_CAUSE = "The model go-live checklist has no step that tests alert routing."


def test_finding_to_closed_nonconformity(live_server, page: Page, browser, browser_errors):
    from aims.audits.services import audit_create, audit_transition, programme_create
    from aims.catalog.services import catalog_load_all
    from aims.improvement.models import Nonconformity
    from aims.tasks.models import Task
    from aims.testing.factories import add_member, ctx_for, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    # Import the URL map (and with it the API's schemas) here, not in the first page load:
    # on a busy machine that alone can outlast the browser's timeout.
    from django.urls import get_resolver

    assert get_resolver().url_patterns
    org = make_org("acme", "Acme Lending")
    auditor = add_member(org, "auditor")
    editor = add_member(org, "editor")
    actx = ctx_for(org, auditor)
    today = datetime.date.today()
    programme = programme_create(ctx=actx, data={"name": "Programme", "start_date": today})
    audit = audit_create(ctx=actx, data={"title": "Monitoring of AI systems",
                                         "programme": programme.pk, "requirements": [REF]})
    audit = audit_transition(ctx=actx, audit_id=audit.pk, to="in_progress",
                             version=audit.version)
    # Closing before everything is on record is refused (422) by design.
    browser_errors.allow(r"status of 422 .*/o/acme/improvement/nonconformities/.*/close/")
    base = live_server.url

    # 1. The auditor records a minor nonconformity on the checklist.
    sign_in(page, base, auditor.email)
    page.goto(f"{base}/o/acme/audits/{audit.pk}/?tab=checklist")
    page.get_by_role("button", name=f"Record {REF}").click()
    form = page.get_by_role("form", name=f"Result for {REF}")
    form.get_by_label("Result").select_option(label="Minor nonconformity")
    form.get_by_label("Notes").fill(NOTES)
    form.get_by_role("button", name=f"Save {REF}").click()
    row = page.locator("tr", has_text=NOTES)
    expect(row.get_by_role("status")).to_have_text("Saved")

    # 2. …and raises a nonconformity from it: the form comes filled in from the finding.
    row.get_by_role("button", name="Raise nonconformity").click()
    expect(page.get_by_role("heading", level=1, name="Raise a nonconformity")).to_be_visible()
    expect(page.get_by_label("Description")).to_have_value(NOTES)
    expect(page.get_by_label("Requirement affected")).to_have_value(REF)
    expect(page.get_by_label("Source")).to_have_value("audit_finding")
    page.get_by_role("button", name="Raise nonconformity").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("NC-001")
    expect(page.get_by_role("status")).to_contain_text("Raised NC-001")
    nc_url = page.url
    # The auditor may not plan the actions: that is the auditee's job.
    expect(page.get_by_text("Plan a corrective action")).to_have_count(0)

    # 3. The editor finds the root cause, plans the corrective action and completes it.
    other = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    other.set_default_timeout(TIMEOUT_MS)
    epage = other.new_page()
    sign_in(epage, base, editor.email)
    epage.goto(nc_url)
    epage.get_by_role("button", name="Edit and analyse").click()
    epage.get_by_label("Five whys").check()
    epage.get_by_label("Why 1").fill("Nobody was told about the threshold breach.")
    epage.get_by_label("Why 2").fill("The alert rules were never set up in the tool.")
    epage.get_by_label("Root cause").fill(ROOT_CAUSE)
    epage.get_by_role("button", name="Save changes").click()
    expect(epage.get_by_text(ROOT_CAUSE)).to_be_visible()
    epage.get_by_role("link", name="Corrective actions").click()
    epage.get_by_text("Plan a corrective action").click()
    epage.get_by_label("Title").fill("Add a tested alert-routing step to the go-live checklist")
    epage.get_by_label("Owner").select_option(label=editor.display_name)
    epage.get_by_label("Due date").fill((today + datetime.timedelta(days=14)).isoformat())
    epage.get_by_role("button", name="Add corrective action").click()
    expect(epage.get_by_role("status")).to_contain_text("Planned the corrective action")
    task = Task.objects.for_org(org).get()
    epage.get_by_label(f"Completion note for {task.ref}").fill("Checklist v3 approved.")
    epage.get_by_role("button", name=f"Mark {task.ref} done").click()
    expect(epage.get_by_role("status")).to_contain_text(f"Completed {task.ref}")
    expect(epage.locator(f"#action-{task.pk}")).to_contain_text("Done")
    other.close()

    # 4. The auditor verifies the action worked, then closes the nonconformity.
    page.goto(nc_url)
    page.get_by_role("button", name="Verify effectiveness").click()
    page.get_by_label("Effective", exact=True).check()
    page.get_by_label("What was checked").fill("Two go-lives since: both sent a test alert.")
    page.get_by_role("button", name="Record verification").click()
    expect(page.get_by_role("status")).to_contain_text("were effective")
    page.get_by_role("button", name="Close NC-001").click()
    expect(page.get_by_role("status")).to_contain_text("Closed NC-001")
    expect(page.get_by_text(re.compile(r"^Closed on \d{4}-\d\d-\d\d"))).to_be_visible()
    nc = Nonconformity.objects.for_org(org).get()
    assert nc.closed_by == auditor and nc.subject_kind == "audit_line"
    assert nc.requirement is not None and nc.requirement.ref == REF
    assert not browser_errors.unexpected, browser_errors.unexpected
