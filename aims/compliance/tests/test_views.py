import datetime
import re

import pytest

from aims.compliance.selectors import soa_item_get

pytestmark = pytest.mark.django_db


def _form(item, **values):
    prefix = f"i{item.pk.hex[:8]}-"
    base = {"applicable": "yes", "inclusion_reason": "legal", "justification": "",
            "status": "planned", "owner": "", "notes": "", "last_reviewed": "",
            "version": item.version}
    return {prefix + k: v for k, v in {**base, **values}.items()}


def test_soa_page_groups_38_controls_in_9_domains(org, members, web_client_for):
    body = web_client_for(members["viewer"]).get(f"/o/{org.slug}/soa/").content.decode()
    assert body.count('id="ctl-A.') == 38
    for domain in ("A.2 ", "A.6 AI system life cycle", "A.10 "):
        assert domain in body
    assert "Edit" not in body.split("<main")[1].split("Export")[0]  # viewers see no edit links


def test_inline_exclusion_refused_then_accepted(org, members, ctx, web_client_for):
    c = web_client_for(members["editor"])
    item = soa_item_get(ctx=ctx, ref="A.10.4")
    url = f"/o/{org.slug}/soa/A.10.4/edit/"
    form = c.get(url, HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and b"<form" in form.content and b"<html" not in form.content
    r = c.post(url, _form(item, applicable="no", justification="not relevant"),
               HTTP_HX_REQUEST="true")
    assert r.status_code == 422
    assert "placeholder" in r.content.decode()
    item.refresh_from_db()
    assert item.applicable is None
    reason = "We supply no AI systems to other organisations; all AI is used internally."
    r = c.post(url, _form(item, applicable="no", justification=reason), HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert "Excluded" in r.content.decode() and reason in r.content.decode()
    assert r["HX-Trigger"] == "soa-changed"
    stats = c.get(f"/o/{org.slug}/soa/stats/").content.decode()
    assert "<strong>1</strong> excluded" in stats
    item.refresh_from_db()
    # The inclusion reason still selected in the form is dropped for an exclusion.
    assert (item.applicable, item.inclusion_reason, item.justification) == (False, "", reason)


def test_edit_keeps_last_reviewed_date(org, members, ctx, web_client_for):
    from aims.compliance.services import compliance_item_update
    item = soa_item_get(ctx=ctx, ref="A.2.2")
    compliance_item_update(ctx=ctx, ref="A.2.2", version=1, data={
        "applicable": True, "inclusion_reason": "legal",
        "last_reviewed": datetime.date(2026, 10, 15)})
    c = web_client_for(members["editor"])
    page = c.get(f"/o/{org.slug}/soa/A.2.2/edit/").content.decode()
    # A native date input only accepts ISO dates; anything else would be lost on save.
    assert 'value="2026-10-15"' in page
    item.refresh_from_db()
    r = c.post(f"/o/{org.slug}/soa/A.2.2/edit/",
               _form(item, status="implemented", last_reviewed="2026-10-15"))
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.last_reviewed == datetime.date(2026, 10, 15) and item.status == "implemented"


def test_full_page_fallback_and_conflict(org, members, ctx, web_client_for):
    from aims.compliance.services import compliance_item_update
    item = soa_item_get(ctx=ctx, ref="A.5.2")
    stale = _form(item, status="implemented")
    compliance_item_update(ctx=ctx, ref="A.5.2", version=1,
                           data={"applicable": True, "inclusion_reason": "legal"})
    c = web_client_for(members["admin"])
    r = c.post(f"/o/{org.slug}/soa/A.5.2/edit/", stale)
    assert r.status_code == 409
    assert "changed by someone else" in r.content.decode()
    item.refresh_from_db()
    assert item.status == "not_started"


def test_viewer_cannot_edit(org, members, ctx, web_client_for):
    c = web_client_for(members["viewer"])
    item = soa_item_get(ctx=ctx, ref="A.5.2")
    assert c.get(f"/o/{org.slug}/soa/A.5.2/edit/").status_code == 403
    assert c.post(f"/o/{org.slug}/soa/A.5.2/edit/", _form(item)).status_code == 403


def test_filters_and_exports_from_the_page(org, members, web_client_for):
    c = web_client_for(members["auditor"])
    body = c.get(f"/o/{org.slug}/soa/?domain=A.5").content.decode()
    assert body.count('id="ctl-A.') == 4
    r = c.get(f"/o/{org.slug}/soa/export/xlsx/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    assert "attachment" in r["Content-Disposition"]
    r = c.get(f"/o/{org.slug}/soa/export/csv/")
    assert r.status_code == 200 and r.content.decode("utf-8-sig").startswith("Control,Title")


def test_clauses_and_catalog_pages(org, members, web_client_for):
    c = web_client_for(members["viewer"])
    body = c.get(f"/o/{org.slug}/soa/clauses/").content.decode()
    assert "6.1.4" in body and "AI system impact assessment" in body
    body = c.get(f"/o/{org.slug}/catalog/A.6.2.8/").content.decode()
    assert "What an auditor will ask to see" in body
    assert c.get(f"/o/{org.slug}/catalog/A.99/").status_code == 404


def test_the_catalog_links_to_the_controls_soa_decision(org, members, web_client_for):
    c = web_client_for(members["viewer"])
    page = c.get(f"/o/{org.slug}/catalog/A.6.2.6/").content.decode()
    link = re.search(r'href="([^"]+)"[^>]*>Your SoA decision for A\.6\.2\.6', page)
    assert link, "no link to the SoA decision"
    target = link.group(1)
    assert "#" not in target  # an anchor the SoA page may not carry
    r = c.get(target)
    assert r.status_code == 200 and "A.6.2.6" in r.content.decode()
