"""How a clause stands is derived from the record (what the readiness rules find about it),
not set by hand; SoA rows show their findings beside the status a person sets."""

from __future__ import annotations

import pytest

from aims.compliance import selectors
from aims.compliance.selectors import soa_item_get
from aims.compliance.services import compliance_item_update
from aims.context.services import scope_version_create
from aims.records import hooks

pytestmark = pytest.mark.django_db


def test_a_clause_stands_as_the_record_shows(org, members, ctx, web_client_for):
    c = web_client_for(members["viewer"])
    page = c.get(f"/o/{org.slug}/soa/4.3/").content.decode()
    assert "Major gap" in page and "CTX-SCOPE-MISSING" in page
    assert 'id="findings"' in page and 'class="fix-link"' in page
    assert "Implementation status" not in page  # nobody sets it for a clause
    clauses = c.get(f"/o/{org.slug}/soa/clauses/").content.decode()
    row = clauses.split('id="req-4.3"')[1].split("</tr>")[0]
    assert "Major gap" in row

    scope_version_create(ctx=ctx, based_on=None, data={
        "statement": "The AIMS covers the AI systems we build and use for consumer lending."})
    page = c.get(f"/o/{org.slug}/soa/4.3/").content.decode()
    assert "CTX-SCOPE-MISSING" not in page and "Major gap" not in page


def test_a_clause_form_holds_owner_and_notes_only(org, members, ctx, web_client_for):
    c = web_client_for(members["editor"])
    item = soa_item_get(ctx=ctx, ref="4.3")
    url = f"/o/{org.slug}/soa/4.3/edit/"
    form = c.get(url).content.decode().split("<main")[1]
    assert "Implementation status" not in form and 'name="i' in form
    assert "applicable" not in form and "justification" not in form
    assert "not set here: it follows from the record" in form
    prefix = f"i{item.pk.hex[:8]}-"
    r = c.post(url, {f"{prefix}owner": str(members["editor"].pk), f"{prefix}notes": "Board-owned.",
                     f"{prefix}status": "implemented", f"{prefix}version": item.version})
    assert r.status_code == 302 and r.url.endswith("/soa/4.3/")
    saved = soa_item_get(ctx=ctx, ref="4.3")
    assert saved.notes == "Board-owned." and saved.owner_id == members["editor"].pk
    assert saved.status == item.status  # a posted status is not a field of the clause form


def test_soa_rows_show_their_findings(org, members, web_client_for, owner_ctx):
    item = soa_item_get(ctx=owner_ctx, ref="A.5.2")
    compliance_item_update(ctx=owner_ctx, ref="A.5.2", version=item.version, data={
        "applicable": True, "inclusion_reason": "legal", "status": "implemented"})
    c = web_client_for(members["viewer"])
    soa = c.get(f"/o/{org.slug}/soa/").content.decode()
    row = soa.split('id="ctl-A.5.2"')[1].split("</tr>")[0]
    assert "Implemented" in row and 'href="/o/acme/soa/A.5.2/#findings"' in row
    assert "finding" in row
    partial = c.get(f"/o/{org.slug}/soa/A.5.2/row/").content.decode()
    assert 'href="/o/acme/soa/A.5.2/#findings"' in partial
    page = c.get(f"/o/{org.slug}/soa/A.5.2/").content.decode()
    assert "SUP-CONTROL-NO-EVIDENCE" in page


def test_without_a_judge_a_requirement_is_not_judged(org, ctx, monkeypatch):
    monkeypatch.setattr(hooks, "implementations", lambda point: ())
    gap = selectors.requirement_gaps(ctx=ctx, refs=["6.1.4"])["6.1.4"]
    assert (gap.judged, gap.findings, gap.label) == (False, [], "Not judged")


def test_the_gravest_finding_decides(org, ctx):
    gaps = selectors.requirement_gaps(ctx=ctx, refs=["4.3", "4"])
    assert gaps["4.3"].worst == "major"
    # A finding on a part of clause 4 concerns clause 4 too.
    assert {f["rule"] for f in gaps["4.3"].findings} <= {f["rule"] for f in gaps["4"].findings}
    assert [f["severity"] for f in gaps["4"].findings] == sorted(
        (f["severity"] for f in gaps["4"].findings), key=selectors.SEVERITY_RANK.__getitem__)
