"""The audit pack: one ZIP of everything an auditor asks for about a period, with a manifest
of SHA-256 hashes so the pack can be checked offline (`aims verify-pack`).

The pack is written entry by entry into a file the caller owns: the tables and PDFs come from
each area's own exporters, evidence and document files are copied from storage in chunks, and
the activity log is written as it is read, so memory stays flat however large the pack."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from aims.activity.exports import COLUMNS as LOG_COLUMNS
from aims.activity.exports import activity_rows
from aims.activity.selectors import EventFilters
from aims.activity.services import log_verify
from aims.audits.pdf import audit_report_pdf
from aims.audits.selectors import audit_list
from aims.compliance.exports import soa_export, soa_pdf
from aims.core.errors import ValidationError
from aims.core.tables import csv_chunks
from aims.documents.pdf import version_pdf
from aims.documents.selectors import versions_in_force_between
from aims.evidence.selectors import EvidenceFilters, evidence_list, with_linked
from aims.evidence.storage import CHUNK, blob_open
from aims.impact.pdf import assessment_pdf
from aims.impact.selectors import assessment_list
from aims.improvement.exports import nonconformity_export
from aims.orgs.context import Ctx
from aims.readiness.brief import brief_pdf
from aims.readiness.selectors import readiness_evaluate
from aims.reviews.pdf import review_pdf
from aims.reviews.selectors import review_list
from aims.risks.exports import risk_export

FORMAT = "aims-audit-pack"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
INDEX = "index.html"
MAX_DAYS = 366 * 5  # a pack covers at most five years: beyond that no auditor asks for one
EVIDENCE_BATCH = 200

# The sections of the pack, in the order index.html shows them: key → (folder, title).
SECTIONS: dict[str, tuple[str, str]] = {
    "soa": ("soa", "Statement of Applicability"),
    "risks": ("risks", "AI risk register"),
    "impact": ("impact-assessments", "AI system impact assessments"),
    "documents": ("documents", "Documents and policies in force during the period"),
    "evidence": ("evidence", "Evidence files covering the period"),
    "audits": ("internal-audits", "Internal audit reports"),
    "reviews": ("management-reviews", "Management review packs"),
    "nonconformities": ("nonconformities", "Nonconformity register"),
    "activity": ("activity-log", "Activity log of the period"),
    "readiness": ("readiness", "Readiness report"),
}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def period_of(start: datetime.date | None, end: datetime.date | None) -> Period:
    """The period asked for, checked; by default the twelve months up to today."""
    end = end or timezone.localdate()
    if start is None:
        if end < datetime.date.min + datetime.timedelta(days=364):
            raise ValidationError({"to": ["Give a 'to' date after the year 1."]})
        start = end - datetime.timedelta(days=364)
    if start > end:
        raise ValidationError({"to": [f"The period ends ({end}) before it starts ({start}): "
                                      "give a 'to' date on or after the 'from' date."]})
    if (end - start).days >= MAX_DAYS:
        raise ValidationError({"from": ["A pack covers at most five years: choose a later "
                                        "'from' date or an earlier 'to' date."]})
    return Period(start, end)


@dataclass
class Entry:
    """One file of the pack, as the manifest lists it."""

    path: str
    section: str
    title: str
    sha256: str
    size: int
    media_type: str
    record: str = ""  # the reference of the record it comes from (EV-004, DOC-002 v3…)
    covers_from: str | None = None
    covers_to: str | None = None
    supports: list[str] = field(default_factory=list)


@dataclass
class PackSummary:
    org: str
    period: Period
    entries: list[Entry]
    problems: list[str]
    log: dict[str, Any]

    def count(self, section: str) -> int:
        return sum(e.section == section for e in self.entries)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str, fallback: str = "file") -> str:
    """A file name that is the same on every system: no folders, no odd characters."""
    cleaned = _UNSAFE.sub("-", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip("-.")
    return cleaned[:120] or fallback


class _Writer:
    """Writes entries into the ZIP one by one, hashing what goes in."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.entries: list[Entry] = []
        self.paths: set[str] = set()

    def _path(self, section: str, name: str) -> str:
        path = f"{SECTIONS[section][0]}/{name}"
        stem, dot, ext = path.rpartition(".")
        n = 2
        while path in self.paths:  # two records with the same cleaned name
            path = f"{stem}-{n}.{ext}" if dot else f"{path}-{n}"
            n += 1
        self.paths.add(path)
        return path

    def add(self, section: str, name: str, chunks: Iterable[bytes], *, title: str,
            media_type: str, **meta: Any) -> Entry:
        path = self._path(section, name)
        digest, size = hashlib.sha256(), 0
        with self.zf.open(path, "w", force_zip64=True) as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        entry = Entry(path=path, section=section, title=title, sha256=digest.hexdigest(),
                      size=size, media_type=media_type, **meta)
        self.entries.append(entry)
        return entry

    def add_file(self, section: str, content: tuple[bytes | Iterator[bytes], str, str], *,
                 title: str, name: str = "", **meta: Any) -> Entry:
        data, media_type, filename = content
        return self.add(section, name or filename, [data] if isinstance(data, bytes) else data,
                        title=title,
                        media_type=media_type.split(";")[0], **meta)


def _chunks(fh) -> Iterator[bytes]:
    with fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def _batched(items: Iterable, n: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == n:
            yield batch
            batch = []
    if batch:
        yield batch


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _overlaps(first: datetime.date | None, last: datetime.date | None, p: Period) -> bool:
    return first is not None and first <= p.end and (last or first) >= p.start


# --------------------------------------------------------------------------- the sections


def _soa(w: _Writer, ctx: Ctx) -> None:
    w.add_file("soa", soa_export(ctx=ctx, fmt="xlsx"), name="statement-of-applicability.xlsx",
               title="Statement of Applicability (spreadsheet)")
    w.add_file("soa", soa_pdf(ctx=ctx), name="statement-of-applicability.pdf",
               title="Statement of Applicability (PDF)")


def _risks(w: _Writer, ctx: Ctx) -> None:
    w.add_file("risks", risk_export(ctx=ctx, fmt="xlsx"), name="ai-risk-register.xlsx",
               title="AI risk register with treatments")


def _impact(w: _Writer, ctx: Ctx, p: Period) -> None:
    # Every assessment on record by the end of the period: approved by then, or worked on
    # during it (a draft of the period is part of what the auditor looks at).
    for a in assessment_list(ctx=ctx).order_by("ai_system__name", "number"):
        created = timezone.localdate(a.created_at)
        if not ((a.approved_on and a.approved_on <= p.end) or p.start <= created <= p.end):
            continue
        w.add_file("impact", assessment_pdf(ctx=ctx, assessment_id=a.pk),
                   title=f"{a.ai_system.name}: impact assessment version {a.number} "
                         f"({a.get_status_display().lower()})",
                   record=f"{a.ai_system.name} v{a.number}",
                   covers_from=_iso(a.approved_on), covers_to=_iso(a.next_due))


def _documents(w: _Writer, ctx: Ctx, p: Period, problems: list[str]) -> None:
    for v in versions_in_force_between(ctx=ctx, start=p.start, end=p.end).iterator(
            chunk_size=200):
        d = v.document
        last = v.superseded_at - datetime.timedelta(days=1) if v.superseded_at else None
        meta: dict[str, Any] = {"title": f"{d.ref} {d.title}, version {v.number}",
                                "record": f"{d.ref} v{v.number}",
                                "covers_from": _iso(v.effective_from), "covers_to": _iso(last)}
        if v.blob is not None:
            name = f"{d.ref}-v{v.number}-{safe_name(v.file_name)}"
            try:
                fh = blob_open(v.blob)
            except FileNotFoundError:
                problems.append(f"{d.ref} v{v.number}: its file is missing from storage.")
                continue
            entry = w.add("documents", name, _chunks(fh), media_type=v.content_type
                          or "application/octet-stream", **meta)
            if entry.sha256 != v.blob.sha256:
                problems.append(f"{d.ref} v{v.number}: the stored file no longer matches the "
                                "hash recorded at upload.")
        else:
            w.add_file("documents", version_pdf(ctx=ctx, document=d, version=v),
                       name=f"{d.ref}-v{v.number}-{slugify(d.title)[:60]}.pdf", **meta)


def _evidence(w: _Writer, ctx: Ctx, p: Period, problems: list[str]) -> None:
    qs = evidence_list(ctx=ctx, filters=EvidenceFilters(
        kind="file", covers_from=p.start, covers_to=p.end, sort="oldest"))
    for batch in _batched(qs.iterator(chunk_size=EVIDENCE_BATCH), EVIDENCE_BATCH):
        for e in with_linked(ctx=ctx, items=batch):
            if e.blob is None:  # a file without its file: nothing to copy
                continue
            try:
                fh = blob_open(e.blob)
            except FileNotFoundError:
                problems.append(f"{e.ref}: its file is missing from storage.")
                continue
            entry = w.add("evidence", f"{e.ref}-{safe_name(e.file_name)}", _chunks(fh),
                          title=e.title, media_type=e.content_type or "application/octet-stream",
                          record=e.ref, covers_from=_iso(e.effective_from),
                          covers_to=_iso(e.effective_to),
                          supports=[f"{x.label}: {x.title}" for x in e.linked])
            if entry.sha256 != e.blob.sha256:
                problems.append(f"{e.ref}: the stored file no longer matches the hash recorded "
                                "at upload.")


def _audits(w: _Writer, ctx: Ctx, p: Period) -> None:
    for a in audit_list(ctx=ctx).order_by("number"):
        first = a.actual_start or a.planned_start
        last = a.actual_end or a.planned_end
        issued = timezone.localdate(a.issued_at) if a.issued_at else None
        if not (_overlaps(first, last, p) or (issued and p.start <= issued <= p.end)):
            continue
        w.add_file("audits", audit_report_pdf(ctx=ctx, audit_id=a.pk),
                   title=f"{a.ref} {a.title} ({a.get_status_display().lower()})",
                   record=a.ref, covers_from=_iso(first), covers_to=_iso(last))


def _reviews(w: _Writer, ctx: Ctx, p: Period) -> None:
    for r in review_list(ctx=ctx).filter(meeting_date__range=(p.start, p.end)).order_by(
            "meeting_date", "number"):
        w.add_file("reviews", review_pdf(ctx=ctx, review_id=r.pk),
                   title=f"{r.ref} {r.title}, {r.meeting_date.isoformat()} "
                         f"({r.get_status_display().lower()})",
                   record=r.ref, covers_from=_iso(r.period_start),
                   covers_to=_iso(r.meeting_date))


def _activity(w: _Writer, ctx: Ctx, p: Period) -> dict[str, Any]:
    rows = activity_rows(ctx=ctx, filters=EventFilters(since=p.start, until=p.end))
    w.add("activity", "activity-log.csv", csv_chunks(LOG_COLUMNS, rows),
          title="Every change recorded during the period, oldest first, with its hash chain",
          media_type="text/csv", covers_from=p.start.isoformat(), covers_to=p.end.isoformat())
    result = log_verify(org=ctx.org)
    log = {"ok": result.ok, "checked": result.checked, "first_bad_seq": result.first_bad_seq,
           "problem": result.problem, "checkpoint": result.checkpoint,
           "checkpoint_at": str(result.checkpoint_at or ""),
           "checkpoint_seq": result.checkpoint_seq,
           "verified_at": timezone.now().isoformat(timespec="seconds")}
    w.add_file("activity", (json.dumps(log, indent=2).encode(), "application/json",
                            "chain-verification.json"),
               title="Result of re-checking the whole log's hash chain and seals when the pack "
                     "was made")
    return log


def _readiness(w: _Writer, ctx: Ctx, p: Period) -> None:
    evaluation = readiness_evaluate(ctx=ctx, as_of=p.end)
    w.add_file("readiness", (json.dumps(evaluation.as_dict(), indent=2, default=str).encode(),
                             "application/json", "readiness-report.json"),
               title=f"Readiness judgement as of {p.end.isoformat()}: every finding with its "
                     "requirement and fix", covers_to=p.end.isoformat())
    w.add_file("readiness", brief_pdf(ctx=ctx), name="executive-brief.pdf",
               title="Executive brief (as of the day the pack was made)")


# --------------------------------------------------------------------------- the pack


PACK_STEPS = 10  # what progress counts: eight sections, the activity log, the readiness report


def audit_pack_write(*, ctx: Ctx, period: Period, out: IO[bytes],
                     progress: Callable[[int, int, str], None] | None = None) -> PackSummary:
    """Write ctx.org's audit pack for `period` into `out` (a binary file open for writing;
    it need not be seekable) and return what it holds. Everyone who reads the record may
    make one. `progress(step, steps, what)` is told as each section begins."""
    ctx.require("org.view")
    problems: list[str] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        w = _Writer(zf)
        sections: list[tuple[str, Callable[[], Any]]] = [
            ("the Statement of Applicability", lambda: _soa(w, ctx)),
            ("the risk register", lambda: _risks(w, ctx)),
            ("impact assessments", lambda: _impact(w, ctx, period)),
            ("documents in force", lambda: _documents(w, ctx, period, problems)),
            ("evidence files", lambda: _evidence(w, ctx, period, problems)),
            ("internal audits", lambda: _audits(w, ctx, period)),
            ("management reviews", lambda: _reviews(w, ctx, period)),
            ("nonconformities", lambda: w.add_file(
                "nonconformities", nonconformity_export(ctx=ctx, fmt="xlsx"),
                name="nonconformity-register.xlsx",
                title="Nonconformities and corrective actions")),
        ]
        for step, (what, write) in enumerate(sections):
            if progress:
                progress(step, PACK_STEPS, f"Adding {what}.")
            write()
        if progress:
            progress(PACK_STEPS - 2, PACK_STEPS, "Adding the activity log and its check.")
        log = _activity(w, ctx, period)
        if progress:
            progress(PACK_STEPS - 1, PACK_STEPS, "Adding the readiness report.")
        _readiness(w, ctx, period)
        summary = PackSummary(org=ctx.org.slug, period=period, entries=w.entries,
                              problems=problems, log=log)
        made = timezone.now()
        index = render_to_string("exchange/pack_index.html", {
            "org": ctx.org, "summary": summary, "made": made, "manifest": MANIFEST,
            "sections": [(title, [e for e in w.entries if e.section == key])
                         for key, (_, title) in SECTIONS.items()]})
        data = index.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        zf.writestr(INDEX, data)
        w.entries.append(Entry(path=INDEX, section="index", title="Table of contents",
                               sha256=digest, size=len(data), media_type="text/html"))
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "organisation": {"slug": ctx.org.slug, "name": ctx.org.name},
            "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
            "made_at": made.isoformat(timespec="seconds"),
            "made_by": ctx.actor_label,
            "activity_log_verification": log, "problems": problems,
            "files": [asdict(e) for e in w.entries],
        }
        zf.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    return summary


def pack_filename(ctx: Ctx, period: Period) -> str:
    return f"{ctx.org.slug}-audit-pack-{period.start:%Y%m%d}-{period.end:%Y%m%d}.zip"
