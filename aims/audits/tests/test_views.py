"""The audit pages: programme and coverage, audit planning, inline checklist editing,
findings, the report form and PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from aims.audits import services
from aims.audits.models import Audit, AuditProgramme
from aims.audits.tests.conftest import assess_all, lines_of
from aims.compliance.services import compliance_item_update

pytestmark = pytest.mark.django_db


def _url(org, rest=""):
    return f"/o/{org.slug}/audits/{rest}"


def test_empty_states_say_what_to_do(org, members, web_client_for):
    c = web_client_for(members["auditor"])
    assert "Create the programme" in c.get(_url(org, "programmes/")).content.decode()
    assert "Plan the first audit" in c.get(_url(org)).content.decode()
    assert "No audit findings yet" in c.get(_url(org, "findings/")).content.decode()
    # Planning an audit before a programme exists leads to the programme form.
    r = c.get(_url(org, "new/"))
    assert r.status_code == 302 and r["Location"].endswith("/audits/programmes/new/")


def test_auditor_plans_runs_and_reports_through_the_pages(org, members, owner_ctx, system,
                                                          web_client_for):
    compliance_item_update(ctx=owner_ctx, ref="A.6.2.4", version=1,
                           data={"owner": members["auditor"].pk})
    c = web_client_for(members["auditor"])
    r = c.post(_url(org, "programmes/new/"), {
        "name": "Programme 2026", "start_date": "2026-01-01", "months": "12",
        "objectives": "", "owner": str(members["auditor"].pk)})
    assert r.status_code == 302
    programme = AuditProgramme.objects.for_org(org).get()
    r = c.post(_url(org, "new/"), {
        "title": "Life cycle", "programme": str(programme.pk),
        "requirements": ["6.1.2", "A.6.2.4"], "ai_systems": [str(system.pk)],
        "units": "Retail credit", "criteria": "ISO/IEC 42001:2023",
        "lead_auditor": str(members["auditor"].pk), "team": [],
        "planned_start": "2026-03-01", "planned_end": "2026-03-03"})
    assert r.status_code == 302, r.content.decode()[:2000]
    audit = Audit.objects.for_org(org).get()
    page = c.get(_url(org, f"{audit.pk}/")).content.decode()
    assert "AUD-001" in page and "owns requirement in scope: A.6.2.4" in page
    assert f"/o/{org.slug}/catalog/6.1.2/" in page and "audit-line-actions" in page
    line = lines_of(audit)[0]
    edit = _url(org, f"{audit.pk}/lines/{line.pk}/edit/")
    form = c.get(edit, HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and "Save 6.1.2" in form.content.decode()
    prefix = f"l{line.pk.hex[:8]}"
    r = c.post(edit, {f"{prefix}-result": "observation", f"{prefix}-notes": "",
                      f"{prefix}-version": line.version}, HTTP_HX_REQUEST="true")
    assert r.status_code == 422 and "needs notes" in r.content.decode()
    r = c.post(edit, {f"{prefix}-result": "observation",
                      f"{prefix}-notes": "Risk criteria are not dated.",
                      f"{prefix}-version": line.version}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "Saved" in r.content.decode()
    assert "Risk criteria are not dated." in c.get(_url(org, "findings/")).content.decode()
    report = _url(org, f"{audit.pk}/report/")
    r = c.post(report, {"summary": "S", "conclusion": "C", "version": audit.version})
    assert r.status_code == 422 and "Assess every checklist line" in r.content.decode()
    assess_all(services_ctx(org, members), audit, result="conforming")
    r = c.post(report, {"summary": "Interviews with the model owner.",
                        "conclusion": "The life cycle process conforms.",
                        "version": audit.version})
    assert r.status_code == 302
    page = c.get(_url(org, f"{audit.pk}/")).content.decode()
    assert "The checklist is frozen" in page and "Regenerate from scope" not in page
    r = c.get(_url(org, f"{audit.pk}/report/pdf/"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="acme-audit-report-aud-001.pdf"'
    coverage = c.get(_url(org, f"programmes/{programme.pk}/")).content.decode()
    assert "2 covered" in coverage and "AUD-001" in coverage


def services_ctx(org, members):
    from aims.testing.factories import ctx_for

    return ctx_for(org, members["auditor"])


def test_report_pdf_text(org, members, auditor_ctx, make_audit, system, web_client_for):
    from aims.evidence.services import evidence_create

    ev = evidence_create(ctx=auditor_ctx, perm="audits.change", data={
        "title": "Model validation report 2026", "kind": "note", "note": "Read in full."})
    audit = make_audit(requirements=["8.2", "A.6.2.4"], ai_systems=[system],
                       team=[members["admin"].pk], units="Retail credit")
    first, second = lines_of(audit)
    services.line_update(ctx=auditor_ctx, line_id=first.pk, version=first.version, data={
        "result": "minor_nc", "notes": "The 2025 risk review skipped two systems.",
        "evidence": [ev.pk]})
    services.line_update(ctx=auditor_ctx, line_id=second.pk, version=second.version,
                         data={"result": "conforming"})
    audit.refresh_from_db()
    services.report_issue(ctx=auditor_ctx, audit_id=audit.pk, version=audit.version, data={
        "summary": "Sampled three releases of the credit model.",
        "conclusion": "Conforms apart from one minor nonconformity."})
    r = web_client_for(members["viewer"]).get(_url(org, f"{audit.pk}/report/pdf/"))
    text = " ".join(" ".join(p.extract_text() for p in
                             PdfReader(io.BytesIO(r.content)).pages).split())
    for expected in ("AUD-001 Risk and life cycle", "Internal audit report",
                     "Retail credit", "ISO/IEC 42001:2023", members["admin"].display_name,
                     members["auditor"].display_name, "Sampled three releases",
                     "Conforms apart from one minor nonconformity", "Minor nonconformity",
                     "The 2025 risk review skipped two systems.", "Conforming",
                     "A.6.2.4", "Credit decision engine", ev.ref,
                     "Model validation report 2026", "Results by requirement", "Findings"):
        assert expected in text, expected
    assert "Draft" not in text
    html = web_client_for(members["viewer"]).get(_url(org, f"{audit.pk}/report/print/"))
    assert "Download PDF" in html.content.decode()


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_other_roles_see_but_cannot_change(org, members, make_audit, role, web_client_for):
    audit = make_audit()
    line = lines_of(audit)[0]
    c = web_client_for(members[role])
    page = c.get(_url(org, f"{audit.pk}/")).content.decode()
    assert "AUD-001" in page and "Issue report" not in page and ">Record<" not in page
    for url in ("new/", "programmes/new/", f"{audit.pk}/edit/", f"{audit.pk}/report/",
                f"{audit.pk}/lines/{line.pk}/edit/"):
        assert c.get(_url(org, url)).status_code == 403, url
    for url in (f"{audit.pk}/start/", f"{audit.pk}/cancel/", f"{audit.pk}/checklist/regenerate/"):
        assert c.post(_url(org, url), {"version": audit.version}).status_code == 403, url


def test_status_buttons_and_regenerate(org, members, make_audit, web_client_for):
    audit = make_audit()
    c = web_client_for(members["auditor"])
    r = c.post(_url(org, f"{audit.pk}/start/"), {"version": audit.version})
    assert r.status_code == 302
    audit.refresh_from_db()
    assert audit.status == "in_progress"
    r = c.post(_url(org, f"{audit.pk}/checklist/regenerate/"), {"version": audit.version})
    assert r.status_code == 302
    r = c.post(_url(org, f"{audit.pk}/close/"), {"version": audit.version})
    assert r.status_code == 422  # only a reported audit closes


PAGES = ["", "programmes/", "findings/", "programmes/{programme}/", "{audit}/"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_have_bounded_queries(org, members, auditor_ctx, system, page, web_client_for,
                                    django_assert_max_num_queries):
    from aims.audits.models import Audit
    from aims.audits.tests.test_api import grow
    from aims.evidence.services import evidence_create

    c = web_client_for(members["owner"])
    ev = evidence_create(ctx=auditor_ctx, perm="audits.change", data={
        "title": "Minutes", "kind": "note", "note": "Seen."})
    counts = []
    for n in (5, 40):
        grow(auditor_ctx, members, system, ev, n)
        first = Audit.objects.for_org(org).order_by("number").first()
        url = _url(org, page.format(audit=first.pk, programme=first.programme_id))
        assert c.get(url).status_code == 200
        with django_assert_max_num_queries(25) as captured:
            assert c.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_system_panel_lists_audits_of_the_system(org, members, auditor_ctx, make_audit,
                                                 system):
    from django.template import Context, Template

    audit = make_audit(ai_systems=[system])
    line = next(ln for ln in lines_of(audit) if ln.ai_system_id)
    services.line_update(ctx=auditor_ctx, line_id=line.pk, version=line.version,
                         data={"result": "minor_nc", "notes": "No validation sign-off."})
    html = Template("{% load audits_panels %}{% audit_panel system %}").render(
        Context({"ctx": auditor_ctx, "system": system}))
    assert "AUD-001" in html and f"?audit={audit.pk}" in html


def test_requirements_are_ticked_in_a_filterable_list_not_a_ctrl_click_select(
        org, members, programme, web_client_for):
    page = web_client_for(members["auditor"]).get(_url(org, "new/")).content.decode()
    assert '<select name="requirements"' not in page and "Ctrl" not in page
    picker = page[page.index('class="checkbox-list picker" data-picker'):]
    assert 'type="checkbox" name="requirements" value="6.1.2"' in picker
    assert page.count("data-picker") >= 1
