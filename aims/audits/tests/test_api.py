"""The audit API: an auditor runs an audit end to end; other roles may read only."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from aims.audits.tests.conftest import lines_of

pytestmark = pytest.mark.django_db


def _base(org) -> str:
    return f"/api/v1/orgs/{org.slug}"


def test_auditor_runs_an_audit_end_to_end(org, members, system, api_client_for):
    api, base = api_client_for(members["auditor"]), _base(org)
    r = api.post(f"{base}/audit-programmes", {"name": "Programme 2026",
                                              "start_date": "2026-01-01"})
    assert r.status_code == 201, r.content
    programme = r.json()
    assert programme["months"] == 12 and programme["end_date"] == "2026-12-31"
    r = api.post(f"{base}/audits", {
        "title": "Impact assessment", "programme": programme["id"],
        "requirements": ["8.4", "A.5.2"], "ai_systems": [str(system.pk)],
        "lead_auditor": str(members["auditor"].pk), "team": [str(members["editor"].pk)],
        "planned_start": "2026-03-02", "planned_end": "2026-03-04"})
    assert r.status_code == 201, r.content
    audit = r.json()
    assert audit["ref"] == "AUD-001" and audit["requirements"] == ["8.4", "A.5.2"]
    # The editor owns the system in scope: a warning, not a refusal.
    assert [w["auditor"] for w in audit["independence_warnings"]] == [
        members["editor"].display_name]
    r = api.post(f"{base}/audits/{audit['id']}/transition",
                 {"version": audit["version"], "to": "in_progress"})
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    audit = r.json()
    lines = api.get(f"{base}/audits/{audit['id']}/lines").json()
    assert lines["count"] == 2
    assert [(ln["requirement"], ln["ai_system_name"]) for ln in lines["items"]] == [
        ("8.4", None), ("A.5.2", system.name)]
    assert lines["items"][0]["questions"]
    first, second = lines["items"]
    url = f"{base}/audits/{audit['id']}/lines"
    r = api.patch(f"{url}/{first['id']}", {"version": first["version"], "result": "minor_nc"})
    assert r.status_code == 422 and "notes" in r.json()["errors"]
    r = api.patch(f"{url}/{first['id']}", {"version": first["version"], "result": "minor_nc",
                                           "notes": "Two assessments lack a sign-off."})
    assert r.status_code == 200 and r.json()["is_finding"]
    r = api.patch(f"{url}/{second['id']}", {"version": second["version"],
                                            "result": "conforming"})
    assert r.status_code == 200
    findings = api.get(f"{base}/audit-findings", {"result": "minor_nc"}).json()
    assert [f["requirement"] for f in findings["items"]] == ["8.4"]
    assert api.get(f"{base}/audit-findings", {"result": "ofi"}).json()["count"] == 0
    r = api.post(f"{base}/audits/{audit['id']}/report", {
        "version": audit["version"], "summary": "Interviewed the model owner.",
        "conclusion": "Conforms with one minor nonconformity."})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "reported" and r.json()["issued_at"]
    r = api.patch(f"{url}/{second['id']}", {"version": second["version"] + 1, "notes": "x"})
    assert r.status_code == 422
    cov = api.get(f"{base}/audit-programmes/{programme['id']}/coverage").json()
    states = {row["ref"]: row["state"] for row in cov["rows"]}
    assert states["8.4"] == "covered" and states["A.5.2"] == "covered"
    assert cov["covered"] == 2 and cov["missing"] == cov["required"] - 2
    r = api.get(f"{base}/audits/{audit['id']}/report.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "Two assessments lack a sign-off." in " ".join(text.split())


def test_auditor_cannot_write_anything_else(org, members, system, api_client_for):
    api, base = api_client_for(members["auditor"]), _base(org)
    r = api.post(f"{base}/risks", {"title": "A risk", "category": "privacy"})
    assert r.status_code == 403
    r = api.post(f"{base}/ai-systems", {"name": "X", "intended_purpose": "Y",
                                        "roles": ["user"]})
    assert r.status_code == 403
    r = api.patch(f"{base}/ai-systems/{system.pk}", {"version": system.version, "name": "Z"})
    assert r.status_code == 403
    assert api.get(f"{base}/risks").status_code == 200  # but reads everything


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_other_roles_read_but_do_not_write(org, members, programme, make_audit, role,
                                           api_client_for):
    api, base = api_client_for(members[role]), _base(org)
    audit = make_audit()
    line = lines_of(audit)[0]
    assert api.get(f"{base}/audits/{audit.pk}").status_code == 200
    assert api.get(f"{base}/audit-programmes/{programme.pk}/coverage").status_code == 200
    refused = [
        api.post(f"{base}/audit-programmes", {"name": "P", "start_date": "2026-01-01"}),
        api.post(f"{base}/audits", {"title": "T", "programme": str(programme.pk)}),
        api.patch(f"{base}/audits/{audit.pk}", {"version": audit.version, "title": "T"}),
        api.patch(f"{base}/audits/{audit.pk}/lines/{line.pk}",
                  {"version": line.version, "result": "conforming"}),
        api.post(f"{base}/audits/{audit.pk}/report",
                 {"version": audit.version, "summary": "S", "conclusion": "C"}),
        api.delete(f"{base}/audits/{audit.pk}", {"version": audit.version}),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)


def test_patch_scope_and_filters(org, members, make_audit, programme, api_client_for):
    api, base = api_client_for(members["owner"]), _base(org)
    audit = make_audit()
    make_audit(title="Supplier controls", requirements=["A.10"])
    r = api.patch(f"{base}/audits/{audit.pk}", {"version": audit.version,
                                                 "requirements": ["6.1.2", "7.2"]})
    assert r.status_code == 200 and r.json()["requirements"] == ["6.1.2", "7.2"]
    assert r.json()["version"] == audit.version + 1
    r = api.patch(f"{base}/audits/{audit.pk}", {"version": audit.version, "title": "Old"})
    assert r.status_code == 409
    r = api.patch(f"{base}/audits/{audit.pk}", {"version": audit.version + 1,
                                                 "requirements": ["12"]})
    assert r.status_code == 422 and "requirements" in r.json()["errors"]
    listed = api.get(f"{base}/audits", {"q": "supplier"}).json()
    assert [a["title"] for a in listed["items"]] == ["Supplier controls"]
    assert api.get(f"{base}/audits", {"programme": str(programme.pk)}).json()["count"] == 2
    assert api.get(f"{base}/audits", {"status": "reported"}).json()["count"] == 0
    r = api.post(f"{base}/audits/{audit.pk}/checklist", {"version": audit.version + 1})
    assert r.status_code == 200 and r.json()["added"] == 0


def _org_level_refs() -> list[str]:
    from aims.audits.scope import auditable, catalog_requirements, is_per_system

    return [r.ref for r in auditable(catalog_requirements()) if not is_per_system(r)]


def grow(ctx, members, system, ev, n: int) -> None:
    """`n` programmes, audits (with team, system and one OFI with evidence each), and an
    audit whose checklist has `n` lines."""
    from aims.audits import services
    from aims.audits.models import Audit, AuditProgramme

    refs = _org_level_refs()
    have = AuditProgramme.objects.for_org(ctx.org).count()
    for i in range(have, n):
        programme = services.programme_create(ctx=ctx, data={
            "name": f"Programme {i}", "start_date": "2026-01-01"})
        audit = services.audit_create(ctx=ctx, data={
            "title": f"Audit {i}", "programme": programme.pk, "requirements": [refs[i]],
            "ai_systems": [system.pk], "team": [members["admin"].pk],
            "lead_auditor": members["auditor"].pk})
        line = lines_of(audit)[0]
        services.line_update(ctx=ctx, line_id=line.pk, version=line.version, data={
            "result": "ofi", "notes": "Could be better.", "evidence": [ev.pk]})
    big = Audit.objects.for_org(ctx.org).order_by("number").first()
    assert big is not None
    services.audit_update(ctx=ctx, audit_id=big.pk, version=big.version,
                          data={"requirements": refs[:n]})


@pytest.mark.parametrize("path", ["/audit-programmes", "/audits", "/audit-findings",
                                  "/audits/{audit}/lines"])
def test_list_endpoints_have_bounded_queries(org, members, auditor_ctx, system, path,
                                             api_client_for, django_assert_max_num_queries):
    from aims.audits.models import Audit
    from aims.evidence.services import evidence_create

    api = api_client_for(members["owner"])
    ev = evidence_create(ctx=auditor_ctx, perm="audits.change", data={
        "title": "Minutes", "kind": "note", "note": "Seen."})
    counts = []
    for n in (5, 40):
        grow(auditor_ctx, members, system, ev, n)
        first = Audit.objects.for_org(org).order_by("number").first()
        url = _base(org) + path.format(audit=first.pk)
        assert api.get(url).status_code == 200
        with django_assert_max_num_queries(12) as captured:
            response = api.get(url, {"limit": 100})
        assert response.status_code == 200 and response.json()["count"] >= n
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
