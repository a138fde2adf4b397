"""Readiness in the web UI: the judgement, documented information, the plan, the
certification cycle and the executive brief."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from aims.improvement.models import Nonconformity
from aims.readiness import services
from aims.readiness.models import Certification, ExternalAudit, ExternalFinding, Snapshot
from aims.readiness.tests.conftest import TODAY

pytestmark = pytest.mark.django_db
ROLES = ("owner", "admin", "editor", "viewer", "auditor")


def _url(org, path=""):
    return f"/o/{org.slug}/readiness/{path}"


def _day(days: int) -> str:
    return (TODAY + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def stage1(org, admin_ctx):
    cert = services.certification_create(ctx=admin_ctx, data={"body": "Meridian Assurance"})
    return services.external_audit_create(ctx=admin_ctx, certification_id=cert.pk, data={
        "kind": "stage1", "start_date": TODAY + datetime.timedelta(days=30),
        "lead_auditor": "Dana Okafor"})


# ---------------------------------------------------------------------------- the judgement


def test_every_member_reads_the_verdict_findings_and_fix_links(org, members, web_client_for,
                                                              build):
    system = build.system()
    for role in ROLES:
        r = web_client_for(members[role]).get(_url(org))
        assert r.status_code == 200, role
        page = r.content.decode()
        assert "Not ready for a Stage 1 audit" in page
        assert ("Save today" in page) is (role in ("owner", "admin")), role
    # The missing assessment: rule, severity, refs, the record at fault and the fix.
    assert "IA-MISSING" in page and 'class="badge bad">Major' in page
    assert f'href="/o/{org.slug}/ai-systems/{system.pk}/"' in page  # the record, linked
    assert f'href="/o/{org.slug}/impact-assessments/new/?system={system.pk}"' in page  # fix
    assert f'href="/o/{org.slug}/soa/6.1.4/"' in page  # its requirement
    assert "How the score is worked out" in page
    assert "Judged as of today" in page


def test_findings_filter_by_severity_and_by_clause(org, members, web_client_for, build):
    build.system()
    c = web_client_for(members["viewer"])
    majors = c.get(_url(org), {"severity": "major"}).content.decode()
    assert "IA-MISSING" in majors and 'class="badge warn">Minor' not in majors
    clause_8 = c.get(_url(org), {"area": "8"}).content.decode()
    assert "IA-MISSING" in clause_8  # names 8.4
    assert "CTX-SCOPE-MISSING" not in clause_8
    none = c.get(_url(org), {"severity": "observation", "area": "A.2"}).content.decode()
    assert "No finding matches these filters" in none


def test_judged_as_of_the_next_external_audit_by_default(org, members, web_client_for, stage1):
    c = web_client_for(members["viewer"])
    page = c.get(_url(org)).content.decode()
    assert "Judged as of the" in page and stage1.start_date.isoformat() in page
    assert "in 30 days" in page and f'href="?as_of={TODAY.isoformat()}"' in page
    today = c.get(_url(org), {"as_of": TODAY.isoformat()}).content.decode()
    assert "Judged as of today" in today
    later = c.get(_url(org), {"as_of": _day(400)}).content.decode()
    assert f"Judged as of <strong>{_day(400)}</strong>, ahead of today" in later


def test_a_wrong_day_is_said_and_today_judged(org, members, web_client_for):
    r = web_client_for(members["viewer"]).get(_url(org), {"as_of": "2026-13-45"})
    assert r.status_code == 200
    page = r.content.decode()
    assert "Enter a valid date." in page and "Judged as of today" in page


def test_saving_a_snapshot_shows_the_trend_and_what_changed(org, members, web_client_for,
                                                            build):
    admin = web_client_for(members["admin"])
    first = admin.get(_url(org)).content.decode()
    assert "No snapshot is saved yet" in first and "No evaluation saved yet" in first
    r = admin.post(_url(org, "snapshot/"))
    assert r.status_code == 302 and Snapshot.objects.for_org(org).count() == 1
    build.system()  # a new in-scope system without an impact assessment
    page = admin.get(r.url).content.decode()
    assert "Compared with the evaluation saved as of" in page
    assert re.search(r"<h3>\d+ opened</h3>", page) and "IA-MISSING" in page
    assert "<circle" in page  # the saved score on the trend
    assert web_client_for(members["editor"]).post(_url(org, "snapshot/")).status_code == 403
    assert admin.get(_url(org, "snapshot/")).status_code == 405
    assert Snapshot.objects.for_org(org).count() == 1


def test_documented_information_checklist(org, members, web_client_for):
    page = web_client_for(members["auditor"]).get(_url(org, "documented-information/"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mandatory documented information" in text and 'id="doc-5.2"' in text
    assert "Missing" in text and "The AI policy" in text
    assert f'href="/o/{org.slug}/documents/new/"' in text  # what to do for a missing item


# ---------------------------------------------------------------------------- the plan


def test_plan_is_generated_once_and_exported(org, members, web_client_for, build):
    build.system()
    admin, viewer = web_client_for(members["admin"]), web_client_for(members["viewer"])
    empty = viewer.get(_url(org, "plan/")).content.decode()
    assert "No plan yet." in empty and "Generate plan" not in empty
    assert "Generate plan" in admin.get(_url(org, "plan/")).content.decode()
    assert viewer.post(_url(org, "plan/"), {"target_date": _day(200)}).status_code == 403

    r = admin.post(_url(org, "plan/"), {"target_date": _day(200), "owner": ""})
    assert r.status_code == 302
    page = admin.get(r.url).content.decode()
    assert "Generated the plan" in page and "Regenerate plan" in page
    assert "Risk and impact" in page and "IA-MISSING: Credit decision engine" in page
    assert 'class="plan-timeline"' in page and "<title id=\"plan-timeline-title\">" in page
    task_link = re.compile(r'href="/o/acme/tasks/[0-9a-f-]{36}/"')
    count = len(task_link.findall(page))
    again = admin.post(_url(org, "plan/"), {"target_date": _day(200)}, follow=True)
    assert "0 new tasks (every open finding already had one)" in again.content.decode()
    assert len(task_link.findall(again.content.decode())) == count

    x = viewer.get(_url(org, "plan/xlsx/"))
    assert x.status_code == 200 and x["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(x.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Phase", "Task", "Step")
    assert len(rows) - 1 == count
    assert any(r[0] == "Risk and impact" and "IA-MISSING" in r[2] for r in rows[1:])


def test_plan_form_keeps_what_was_typed_and_says_what_is_wrong(org, members, web_client_for):
    r = web_client_for(members["owner"]).post(_url(org, "plan/"), {"target_date": _day(-1)})
    assert r.status_code == 422
    page = r.content.decode()
    assert "Choose a target date in the future." in page and f'value="{_day(-1)}"' in page


def test_before_the_first_plan_the_export_has_the_column_titles_only(org, members,
                                                                      web_client_for):
    r = web_client_for(members["viewer"]).get(_url(org, "plan/xlsx/"))
    assert r.status_code == 200
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 and rows[0][0] == "Phase"


# ---------------------------------------------------------------------------- certification


def test_certification_audit_and_finding_through_the_forms(org, members, web_client_for):
    owner = web_client_for(members["owner"])
    empty = owner.get(_url(org, "certification/")).content.decode()
    assert "No certification recorded yet." in empty

    bad = owner.post(_url(org, "certification/new/"), {"scope_certified": "Lending AI",
                                                       "status": "preparing"})
    assert bad.status_code == 422 and "Lending AI" in bad.content.decode()
    r = owner.post(_url(org, "certification/new/"), {
        "body": "Meridian Assurance", "scope_certified": "Lending AI", "status": "certified",
        "certificate_number": "AIMS-0042", "issued_on": _day(-400)})
    assert r.status_code == 302
    cert = Certification.objects.for_org(org).get()
    assert cert.valid_until is not None  # three years after issue

    r = owner.post(_url(org, f"certification/{cert.pk}/audits/new/"), {
        "kind": "surveillance", "start_date": _day(-20), "lead_auditor": "Dana Okafor"})
    audit = ExternalAudit.objects.for_org(org).get()
    assert r.status_code == 302 and r.url.endswith(f"#audit-{audit.pk}")

    r = owner.post(_url(org, f"certification/audits/{audit.pk}/findings/new/"), {
        "grade": "minor", "refs": "6.1.4", "description": "One assessment was late."})
    assert r.status_code == 302
    nc = Nonconformity.objects.for_org(org).get()
    assert ExternalFinding.objects.for_org(org).get().subject_id == nc.pk

    page = owner.get(_url(org, "certification/")).content.decode()
    assert f'id="audit-{audit.pk}"' in page and "AIMS-0042" in page
    assert f'href="/o/{org.slug}/improvement/nonconformities/{nc.pk}/"' in page
    # The cycle: year 1 held (the surveillance audit above), year 2 and recertification due.
    assert "Surveillance audit, year 1" in page and ">Held</span>" in page
    assert "Recertification audit" in page

    r = owner.post(_url(org, f"certification/audits/{audit.pk}/edit/"), {
        "kind": "surveillance", "start_date": _day(-20), "end_date": _day(-21),
        "lead_auditor": "Dana Okafor", "version": audit.version})
    assert r.status_code == 422 and "cannot end before it starts" in r.content.decode()
    r = owner.post(_url(org, f"certification/{cert.pk}/edit/"), {
        "body": "Meridian Assurance", "status": "suspended", "version": cert.version})
    assert r.status_code == 302
    cert.refresh_from_db()
    assert cert.status == "suspended"


def test_only_owners_and_admins_record_certification(org, members, web_client_for, stage1):
    for role in ("editor", "viewer", "auditor"):
        c = web_client_for(members[role])
        page = c.get(_url(org, "certification/")).content.decode()
        assert "Dana Okafor" in page and "Record a finding" not in page, role
        assert c.get(_url(org, "certification/new/")).status_code == 403
        r = c.post(_url(org, f"certification/audits/{stage1.pk}/findings/new/"), {
            "grade": "ofi", "description": "Could be better."})
        assert r.status_code == 403
    assert not ExternalFinding.objects.for_org(org).exists()


# ---------------------------------------------------------------------------- the brief


def test_brief_page_and_its_one_page_pdf(org, members, web_client_for, build, stage1):
    build.system()
    build.risk(inherent_likelihood=4, inherent_impact=5, residual_likelihood=3,
               residual_impact=4, treatment_option="mitigate",
               treatment_rationale="Manual review of every decline.")
    c = web_client_for(members["viewer"])
    page = c.get(_url(org, "brief/")).content.decode()
    assert "Executive brief" in page and "Not ready for a Stage 1 audit" in page
    assert "Stage 1 audit on" in page and "Meridian Assurance" in page
    assert "R-001" in page and "High risk" in page
    r = c.get(_url(org, "brief/pdf/"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Not ready for a Stage 1 audit" in text and "R-001" in text
    assert "Top residual risks" in text and "AI incidents this quarter" in text
