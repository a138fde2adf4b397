import datetime
import hashlib
import io
import os
import re
import tracemalloc
import zipfile
from typing import IO, cast

import pytest
from django.core.files.storage import default_storage

from aims.core.errors import PermissionDenied, ValidationError
from aims.exchange.pack import Period, _evidence, _Writer, audit_pack_write, period_of
from aims.exchange.tests.conftest import END, START, add_evidence, build
from aims.orgs.context import Ctx
from aims.testing.factories import UserFactory, ctx_for


def test_the_pack_for_a_period(owner_ctx, record):
    """One pack, read the way an auditor would: every section, every file hashed, evidence,
    documents and reviews chosen by the period, the log with its check, an offline index."""
    zf, manifest = build(owner_ctx)
    names = set(zf.namelist())
    assert {"index.html", "manifest.json"} <= names
    assert manifest["format"] == "aims-audit-pack"
    assert manifest["period"] == {"from": "2026-01-01", "to": "2026-06-30"}
    files = {f["path"]: f for f in manifest["files"]}
    # Every file of the ZIP but the manifest is listed, with its true hash and size.
    assert set(files) == names - {"manifest.json"}
    for path, f in files.items():
        data = zf.read(path)
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (f["sha256"], f["size"]), path
    assert {"soa/statement-of-applicability.xlsx", "soa/statement-of-applicability.pdf",
            "risks/ai-risk-register.xlsx", "nonconformities/nonconformity-register.xlsx",
            "activity-log/activity-log.csv", "activity-log/chain-verification.json",
            "readiness/readiness-report.json", "readiness/executive-brief.pdf"} <= names
    assert zf.read("soa/statement-of-applicability.pdf").startswith(b"%PDF")

    # Evidence: in when it covers part of the period, or is open-ended from before it; out
    # when it covers an earlier period, says nothing of its period, or is a note (no file).
    evidence = {f["record"]: f for f in manifest["files"] if f["section"] == "evidence"}
    assert set(evidence) == {record.inside.ref, record.open_ended.ref}
    inside = evidence[record.inside.ref]
    assert inside["path"] == f"evidence/{record.inside.ref}-q1-report.pdf"
    assert (inside["covers_from"], inside["covers_to"]) == ("2026-01-01", "2026-03-31")
    assert inside["sha256"] == record.inside.blob.sha256
    assert any("A.6.2.6" in s for s in inside["supports"]), inside["supports"]
    assert zf.read(inside["path"]) == b"q1 drift report\n" * 100

    # The policy in force since January, and the review held in March.
    docs = [f for f in manifest["files"] if f["section"] == "documents"]
    assert [d["record"] for d in docs] == [f"{record.document.ref} v1"]
    assert docs[0]["covers_from"] == "2026-01-10" and docs[0]["covers_to"] is None
    assert zf.read(docs[0]["path"]).startswith(b"%PDF")
    assert [r["record"] for r in manifest["files"] if r["section"] == "reviews"] == [
        record.review.ref]

    # The log: the period's events (none yet: the record was entered today) and the check.
    log = zf.read("activity-log/activity-log.csv").decode("utf-8-sig").splitlines()
    assert log[0].startswith("Seq,Time (UTC),Actor")
    assert manifest["activity_log_verification"]["ok"] is True
    assert manifest["activity_log_verification"]["checked"] > 5

    # The index: nothing to fetch, every file linked.
    index = zf.read("index.html").decode()
    assert "<script" not in index
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", index)
    for f in manifest["files"]:
        if f["path"] != "index.html":
            assert f'href="{f["path"]}"' in index, f["path"]
    assert "verified" in index and "Audit pack for 1 January 2026 to 30 June 2026" in index


def test_another_period_holds_other_records(owner_ctx, record):
    zf, early = build(owner_ctx, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert not [f for f in early["files"] if f["section"] in ("documents", "reviews")]
    assert [f["record"] for f in early["files"] if f["section"] == "evidence"] == [
        record.open_ended.ref]
    # Today's period holds today's events in the log.
    zf, _ = build(owner_ctx, datetime.date.today(), datetime.date.today())
    log = zf.read("activity-log/activity-log.csv").decode("utf-8-sig").splitlines()
    assert len(log) > 5


def test_a_missing_or_altered_stored_file_is_reported_not_fatal(owner_ctx, record):
    with default_storage.open(record.open_ended.blob.name, "wb") as fh:
        fh.write(b"changed after upload")
    default_storage.delete(record.inside.blob.name)
    zf, manifest = build(owner_ctx)
    problems = " ".join(manifest["problems"])
    assert f"{record.inside.ref}: its file is missing" in problems
    assert f"{record.open_ended.ref}: the stored file no longer matches" in problems
    assert "missing from storage" in zf.read("index.html").decode()


def test_period_rules():
    assert period_of(START, END) == Period(START, END)
    default = period_of(None, None)
    assert default.end == datetime.date.today()
    assert (default.end - default.start).days == 364
    with pytest.raises(ValidationError) as exc:
        period_of(END, START)
    assert "to" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        period_of(datetime.date(2000, 1, 1), END)
    assert "from" in exc.value.errors
    with pytest.raises(ValidationError) as exc:  # a year before the first day there is
        period_of(None, datetime.date(1, 1, 1))
    assert "to" in exc.value.errors


def test_only_members_make_a_pack(org, members):
    outsider = UserFactory.create()
    with pytest.raises(PermissionDenied):
        audit_pack_write(ctx=Ctx(org=org, user=outsider, role="", actor_label="x"),
                         period=Period(START, END), out=io.BytesIO())
    # Every role reads the record, so every role may hand it to an auditor.
    for role in ("viewer", "auditor"):
        audit_pack_write(ctx=ctx_for(org, members[role]), period=Period(START, END),
                         out=io.BytesIO())


class Sink:
    """A destination that is not seekable (like a network response), counting what it gets."""

    def __init__(self):
        self.size = 0

    def write(self, data) -> int:
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


def _evidence_peak(ctx) -> tuple[int, int, int]:
    """(files, bytes written, peak of Python's allocations) of writing the evidence section."""
    sink = Sink()
    with zipfile.ZipFile(cast(IO[bytes], sink), "w", compression=zipfile.ZIP_DEFLATED) as zf:
        w = _Writer(zf)
        tracemalloc.start()
        try:
            _evidence(w, ctx, Period(START, END), [])
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return len(w.entries), sink.size, peak


def test_memory_stays_flat_however_many_files(owner_ctx, settings):
    """Files are copied in chunks: writing 48 MiB of evidence takes no more memory than
    writing 8 MiB (and far less than the files themselves)."""
    settings.AIMS_EVIDENCE_MAX_MB = 4
    for n in range(4):
        add_evidence(owner_ctx, f"Log {n}", os.urandom(2 * 1024 * 1024), f"log-{n}.bin",
                     effective_from=datetime.date(2026, 2, 1))
    files, _, small_peak = _evidence_peak(owner_ctx)
    assert files == 4
    for n in range(4, 24):
        add_evidence(owner_ctx, f"Log {n}", os.urandom(2 * 1024 * 1024), f"log-{n}.bin",
                     effective_from=datetime.date(2026, 2, 1))
    files, large_size, large_peak = _evidence_peak(owner_ctx)
    assert files == 24 and large_size > 48 * 1024 * 1024
    assert large_peak < 8 * 1024 * 1024, f"peak {large_peak / 2**20:.1f} MiB"
    assert large_peak < small_peak + 2 * 1024 * 1024, (small_peak, large_peak)


def test_the_pack_writes_to_a_stream_that_cannot_seek(owner_ctx, record):
    sink = Sink()
    summary = audit_pack_write(ctx=owner_ctx, period=Period(START, END),
                               out=cast(IO[bytes], sink))
    assert sink.size > 0 and summary.count("evidence") == 2
