"""Imports through the real services: round trips, the dry run, all or nothing, the diff."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from aims.activity.models import Event
from aims.compliance.exports import soa_export, soa_rows
from aims.compliance.selectors import soa_item_get
from aims.compliance.services import compliance_item_update
from aims.context.models import InterestedParty
from aims.core.errors import Conflict, PermissionDenied
from aims.exchange.imports.engine import ImportRejected
from aims.exchange.imports.exports import register_export
from aims.exchange.imports.services import import_direct
from aims.exchange.models import ImportRun
from aims.inventory.models import AISystem
from aims.people.models import TrainingRecord
from aims.suppliers.models import Supplier
from aims.testing.factories import ctx_for, make_ai_system


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def events(org) -> int:
    return Event.objects.filter(org=org).count()


def test_soa_export_imports_unchanged_and_a_changed_file_changes_only_what_it_says(ctx, org):
    compliance_item_update(ctx=ctx, ref="A.2.2", data={
        "applicable": True, "inclusion_reason": "legal", "notes": "Policy v3"},
        version=soa_item_get(ctx=ctx, ref="A.2.2").version)
    for fmt in ("csv", "xlsx"):
        content, _, name = soa_export(ctx=ctx, fmt=fmt)
        before = soa_rows(ctx=ctx)
        report = import_direct(ctx=ctx, kind="soa", data=content, file_name=name,
                               dry_run=False)
        assert report.summary["unchanged"] == len(before) and report.count("change") == 0
        assert soa_rows(ctx=ctx) == before
    text = soa_export(ctx=ctx, fmt="csv")[0].decode("utf-8-sig").splitlines()
    header, rows = text[0], text[1:]
    a311 = next(r for r in rows if r.startswith("A.3.3,"))
    changed = a311.split(",")
    cols = header.split(",")
    changed[cols.index("Applicable")] = "No"
    changed[cols.index("Justification")] = ("We run no AI systems whose users could raise "
                                            "concerns: all are internal batch tools")
    data = "\n".join([header, ",".join(changed)]).encode()
    n = events(org)
    dry = import_direct(ctx=ctx, kind="soa", data=data, file_name="soa.csv", dry_run=True)
    assert dry.count("change") == 1 and not dry.written
    assert dry.outcomes[0].changes["Applicable"] == ["Not decided", "No"]
    assert events(org) == n and soa_item_get(ctx=ctx, ref="A.3.3").applicable is None
    done = import_direct(ctx=ctx, kind="soa", data=data, file_name="soa.csv", dry_run=False,
                         expected_digest=dry.digest)
    assert done.written and soa_item_get(ctx=ctx, ref="A.3.3").applicable is False
    # The record's own event, and one for the import.
    assert events(org) == n + 2
    run = ImportRun.objects.for_org(org).order_by("-created_at").first()
    assert (run.kind, run.changed_count, run.state) == ("soa", 1, "imported")


def test_inventory_round_trip_is_unchanged_and_new_rows_are_created(ctx, org, members):
    make_ai_system(ctx, name="Claims triage", owner=members["editor"].pk,
                   roles=["deployer", "provider"])
    make_ai_system(ctx, name="Chat helper", processes_personal_data=True)
    for fmt in ("csv", "xlsx"):
        content, _, name = register_export(ctx=ctx, kind="inventory", fmt=fmt)
        report = import_direct(ctx=ctx, kind="inventory", data=content, file_name=name,
                               dry_run=False)
        assert report.summary == {"rows": 2, "created": 0, "changed": 0, "unchanged": 2,
                                  "refused": 0}
    data = csv_bytes("Name,Intended purpose,Owner (e-mail),Roles,In scope",
                     f"Fraud scorer,Flags claims for review,{members['editor'].email},"
                     "Deployer; Provider,Yes",
                     "claims triage,Routes claims,,Deployer,Yes")
    report = import_direct(ctx=ctx, kind="inventory", data=data, file_name="i.csv",
                           dry_run=False)
    assert report.summary["created"] == 1 and report.summary["changed"] == 1
    fraud = AISystem.objects.for_org(org).get(name="Fraud scorer")
    assert fraud.owner == members["editor"] and sorted(fraud.roles) == ["deployer", "provider"]
    change = next(o for o in report.outcomes if o.action == "change")
    assert change.changes["Intended purpose"][1] == "Routes claims"


def test_a_refused_row_writes_nothing_and_the_report_names_row_column_and_rule(ctx, org):
    n = events(org)
    data = csv_bytes("Name,Intended purpose,Lifecycle stage,Owner (e-mail)",
                     "Good one,Does good,Design,",
                     "Bad stage,Does things,Flying,",
                     "Deployed now,Serves,Deployed,",
                     "Nobody owns,Serves,,nobody@example.com",
                     ",No name,,",
                     "Good one,Again,,")
    with pytest.raises(ImportRejected) as exc:
        import_direct(ctx=ctx, kind="inventory", data=data, file_name="i.csv", dry_run=False)
    problems = {(p.row, p.column) for p in exc.value.report.problems}
    assert (3, "Lifecycle stage") in problems and (4, "Lifecycle stage") in problems
    assert (5, "Owner (e-mail)") in problems and (6, "Name") in problems
    assert (7, "Name") in problems  # the same system twice in one file
    assert not AISystem.objects.for_org(org).exists() and events(org) == n
    assert not ImportRun.objects.for_org(org).exists()


def test_the_confirmation_is_refused_when_the_records_changed_since_the_preview(ctx, org):
    system = make_ai_system(ctx, name="Claims triage")
    data = csv_bytes("Name,Business unit", "Claims triage,Claims")
    dry = import_direct(ctx=ctx, kind="inventory", data=data, file_name="i.csv", dry_run=True)
    from aims.inventory.services import ai_system_update

    ai_system_update(ctx=ctx, system_id=system.pk, data={"business_unit": "Ops"},
                     version=system.version)
    with pytest.raises(Conflict):
        import_direct(ctx=ctx, kind="inventory", data=data, file_name="i.csv", dry_run=False,
                      expected_digest=dry.digest)
    system.refresh_from_db()
    assert system.business_unit == "Ops"


def test_a_viewer_cannot_import(org, members):
    viewer = ctx_for(org, members["viewer"])
    with pytest.raises(PermissionDenied):
        import_direct(ctx=viewer, kind="parties", data=csv_bytes("Name,Needs and expectations",
                                                                 "Regulator,Reports"),
                      file_name="p.csv", dry_run=True)


def test_parties_issues_suppliers_and_training_round_trip(ctx, org, members):
    make_ai_system(ctx, name="Claims triage")
    files = {
        "parties": csv_bytes("Name,Category,Needs and expectations,Active",
                             "Customers,customers,Fair decisions,Yes"),
        "issues": csv_bytes("Kind,Title,Description,Active",
                            "External,EU AI Act applies,Obligations from 2026,Yes",
                            "Internal,Few ML engineers,,No"),
        "suppliers": csv_bytes("Name,Kind,What they supply,AI systems,Criticality,Review interval",
                               "ModelCo,Supplier,AI model; Dataset,Claims triage,High,"
                               "Every 6 months"),
        "training": csv_bytes("Person (e-mail),Topic,Completed on,AI-specific,Expires on",
                              f"{members['editor'].email},Bias testing,2025-03-14,Yes,"
                              "2027-03-14"),
    }
    for kind, data in files.items():
        report = import_direct(ctx=ctx, kind=kind, data=data, file_name=f"{kind}.csv",
                               dry_run=False)
        assert report.summary["created"] >= 1, kind
        for fmt in ("csv", "xlsx"):
            content, _, name = register_export(ctx=ctx, kind=kind, fmt=fmt)
            again = import_direct(ctx=ctx, kind=kind, data=content, file_name=name,
                                  dry_run=False)
            assert again.summary["unchanged"] == again.summary["rows"], (kind, fmt, again.text())
    supplier = Supplier.objects.for_org(org).get()
    assert sorted(supplier.supplies) == ["dataset", "model"]
    assert [s.name for s in supplier.ai_systems.all()] == ["Claims triage"]
    assert supplier.review_interval_months == 6
    record = TrainingRecord.objects.for_org(org).get()
    assert str(record.completed_on) == "2025-03-14" and record.ai_specific
    assert InterestedParty.objects.for_org(org).get().name == "Customers"


# ---------------------------------------------------------------------------- hostile files

def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("data,name,needle", [
    (b"", "x.csv", "empty"),
    ("Name,Needs and expectations\nCaf\xe9,x\n".encode("latin-1"), "x.csv", "not UTF-8"),
    (b"Name,Needs\x00\n", "x.csv", "NUL"),
    (b"Name,Needs and expectations\n=HYPERLINK(\"http://x\"),x\n", "x.csv", "formula"),
    (b"Name,Needs and expectations\n\"unterminated,x\n", "x.csv", ""),
    (b"PK\x03\x04broken", "x.xlsx", "damaged"),
    (b"not a workbook", "x.xlsx", "not an XLSX"),
    ("Name,Needs and expectations\n" + "A" * 30_000 + ",x\n", "x.csv", "characters"),
    (_xlsx([["Name", "Needs and expectations"], ["=1+1", "x"]]), "x.xlsx", "formula"),
    (b"Name,Colour\nA,red\n", "x.csv", "Unknown column"),
    (b"Needs and expectations\nx\n", "x.csv", "required"),
    (b"Name,Needs and expectations\n", "x.csv", "No rows"),
])
def test_hostile_files_are_refused_with_a_reason_and_nothing_is_written(ctx, org, data, name,
                                                                        needle):
    if isinstance(data, str):
        data = data.encode()
    n = events(org)
    with pytest.raises(ImportRejected) as exc:
        import_direct(ctx=ctx, kind="parties", data=data, file_name=name, dry_run=False)
    text = " ".join(p.message for p in exc.value.report.problems)
    assert needle in text
    assert events(org) == n and not InterestedParty.objects.for_org(org).exists()


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(ctx, org):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    with pytest.raises(ImportRejected) as exc:
        import_direct(ctx=ctx, kind="parties", data=out.getvalue(), file_name="bomb.xlsx",
                      dry_run=True)
    assert "zip bomb" in exc.value.report.problems[0].message


def test_too_many_rows_are_refused(ctx, org, monkeypatch):
    from aims.exchange.imports import reading

    monkeypatch.setattr(reading, "MAX_ROWS", 5)
    data = csv_bytes("Name,Needs and expectations", *[f"P{i},n" for i in range(10)])
    with pytest.raises(ImportRejected) as exc:
        import_direct(ctx=ctx, kind="parties", data=data, file_name="p.csv", dry_run=False)
    assert "More than 5 rows" in exc.value.report.problems[0].message
    assert not InterestedParty.objects.for_org(org).exists()


# ---------------------------------------------------------------------------- evidence (ZIP)

def _zip(entries: dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return out.getvalue()


def _stored_files(org) -> list[str]:
    from django.core.files.storage import default_storage

    try:
        dirs, _ = default_storage.listdir(f"evidence/{org.pk}")
    except FileNotFoundError:
        return []
    return [f for d in dirs for f in default_storage.listdir(f"evidence/{org.pk}/{d}")[1]]


EVIDENCE_TABLE = ("Title,File,Covers from,Covers to,Supports (controls)\n"
                  "Bias test Q1,reports/bias-q1.csv,2025-01-01,2025-03-31,A.6.2.4; A.7.4\n"
                  "Model card,card.md,2024-11-02,,\n")


def test_evidence_comes_in_a_zip_with_its_files_links_and_periods(ctx, org):
    from aims.evidence.models import Evidence

    data = _zip({"evidence.csv": EVIDENCE_TABLE.encode(),
                 "reports/bias-q1.csv": b"group,rate\nA,0.91\n", "card.md": b"# Card\n"})
    dry = import_direct(ctx=ctx, kind="evidence", data=data, file_name="ev.zip", dry_run=True)
    assert dry.summary["created"] == 2
    assert not Evidence.objects.for_org(org).exists() and _stored_files(org) == []
    import_direct(ctx=ctx, kind="evidence", data=data, file_name="ev.zip", dry_run=False)
    bias = Evidence.objects.for_org(org).get(title="Bias test Q1")
    assert (bias.file_name, str(bias.effective_from)) == ("bias-q1.csv", "2025-01-01")
    assert sorted(link.subject_id for link in bias.links.all()) == sorted(
        soa_item_get(ctx=ctx, ref=r).pk for r in ("A.6.2.4", "A.7.4"))
    assert len(_stored_files(org)) == 2
    content, _, name = register_export(ctx=ctx, kind="evidence", fmt="csv")
    again = import_direct(ctx=ctx, kind="evidence", data=content, file_name=name,
                          dry_run=False)
    assert again.summary["unchanged"] == 2


@pytest.mark.parametrize("entries,needle", [
    ({"evidence.csv": b"Title,File\nX,../../etc/passwd\n", "../../etc/passwd": b"x"},
     "outside the archive"),
    ({"evidence.csv": b"Title,File\nX,/etc/passwd\n", "/etc/passwd": b"x"},
     "outside the archive"),
    ({"evidence.csv": b"Title,File\nX,a.txt\n", "a.txt": b"x", "A.TXT": b"y"}, "twice"),
    ({"a.txt": b"x"}, "exactly one table"),
    ({"evidence.csv": b"Title,File\nX,missing.pdf\n"}, "no file by that path"),
    ({"evidence.csv": b"Title,File\nX,bomb.bin\n", "bomb.bin": b"\0" * (50 * 1024 * 1024)},
     "zip bomb"),
])
def test_hostile_evidence_zips_are_refused_and_leave_no_file(ctx, org, entries, needle):
    from aims.evidence.models import Evidence

    with pytest.raises(ImportRejected) as exc:
        import_direct(ctx=ctx, kind="evidence", data=_zip(entries), file_name="ev.zip",
                      dry_run=False)
    assert needle in " ".join(p.message for p in exc.value.report.problems)
    assert not Evidence.objects.for_org(org).exists() and _stored_files(org) == []


def test_a_refused_evidence_row_leaves_no_orphan_file_of_the_good_rows(ctx, org):
    from aims.evidence.models import Blob, Evidence

    table = ("Title,File,Covers from,Covers to\n"
             "Good,good.pdf,2025-01-01,2025-02-01\n"
             "Bad,bad.pdf,2025-03-01,2025-01-01\n")  # ends before it starts
    data = _zip({"evidence.csv": table.encode(), "good.pdf": b"%PDF good",
                 "bad.pdf": b"%PDF bad"})
    with pytest.raises(ImportRejected):
        import_direct(ctx=ctx, kind="evidence", data=data, file_name="ev.zip", dry_run=False)
    assert not Evidence.objects.for_org(org).exists()
    assert not Blob.objects.for_org(org).exists() and _stored_files(org) == []
