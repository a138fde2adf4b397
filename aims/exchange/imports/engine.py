"""Checking and writing an import: every row through the domain services, all or nothing.

The rows are applied in one transaction, each through the service a person's edit would go
through (so every rule, permission and activity event is the same). A row that matches a
record and says nothing new is left alone. If any row is refused, or the run is a dry run,
the transaction is rolled back: nothing is written, and the report says what would have been
created, what would have changed (field by field, before → after), what is unchanged and
which rows were refused (row, column, rule).

The report's digest sums up the diff, including the values it was computed against; a
confirmation that names the digest of its preview is refused (409) when the diff it would
apply is not exactly the one previewed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aims.core.errors import Conflict, DomainError, PermissionDenied, ValidationError
from aims.evidence.storage import atomic_with_files
from aims.exchange.imports.fields import Field, Lookups, RowError
from aims.exchange.imports.kinds_base import ImportKind
from aims.exchange.imports.reading import FileRefused, Problem, Table, read_input
from aims.orgs.context import Ctx

MAX_PROBLEMS = 1000  # a report stops listing refusals after this many (the count goes on)
Progress = Callable[[int, int, str], None]


@dataclass
class RowOutcome:
    row: int
    key: str
    action: str  # "create", "change", "same"
    changes: dict[str, list[str]] = field(default_factory=dict)  # title → [before, after]

    def as_dict(self) -> dict:
        return {"row": self.row, "key": self.key, "action": self.action,
                "changes": self.changes}


@dataclass
class Report:
    kind: str
    file_name: str
    sha256: str
    rows: int = 0
    outcomes: list[RowOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    refused_rows: int = 0
    dry_run: bool = True
    written: bool = False
    digest: str = ""

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def summary(self) -> dict[str, int]:
        return {"rows": self.rows, "created": self.count("create"),
                "changed": self.count("change"), "unchanged": self.count("same"),
                "refused": self.refused_rows}

    def as_dict(self) -> dict:
        return {"kind": self.kind, "file_name": self.file_name, "sha256": self.sha256,
                "dry_run": self.dry_run, "written": self.written, "digest": self.digest,
                **self.summary,
                "outcomes": [o.as_dict() for o in self.outcomes],
                "problems": [p.as_dict() for p in self.problems]}

    def text(self) -> str:
        """The report as lines for a terminal."""
        s = self.summary
        head = ("Dry run, nothing written: " if self.dry_run else
                "Imported: " if self.written else "Nothing was imported: ")
        lines = [f"{head}{s['rows']} rows — {s['created']} to create, {s['changed']} to "
                 f"change, {s['unchanged']} unchanged, {s['refused']} refused."
                 .replace(" to create", " created" if self.written else " to create")
                 .replace(" to change", " changed" if self.written else " to change")]
        for o in self.outcomes:
            if o.action == "create":
                lines.append(f"  row {o.row}: new {o.key}")
            elif o.action == "change":
                diff = "; ".join(f"{t}: {b!r} → {a!r}" for t, (b, a) in o.changes.items())
                lines.append(f"  row {o.row}: {o.key}: {diff}")
        for p in self.problems:
            lines.append(f"  row {p.row}, {p.column}: {p.message}")
        return "\n".join(lines)


class ImportRejected(ValidationError):
    """Rows were refused (or the file could not be read): nothing was written."""

    def __init__(self, report: Report) -> None:
        self.report = report
        errors: dict[str, list[str]] = {}
        for p in report.problems:
            errors.setdefault(f"row {p.row}" if p.row else "file", []).append(
                f"{p.column}: {p.message}")
        super().__init__(errors)
        n = report.refused_rows or len(report.problems)
        self.message = (f"Nothing was imported: {n} row{'s' if n != 1 else ''} refused. "
                        "Correct the file and import it again.")


class _Undo(Exception):
    """Leaves the transaction so that it is rolled back, carrying the report out."""


def digest_of(outcomes: list[RowOutcome]) -> str:
    body = json.dumps([o.as_dict() for o in outcomes if o.action != "same"],
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _header(kind: ImportKind, header: list[str]) -> tuple[list[Field | None], list[Problem]]:
    by_title = {f.title.lower(): f for f in kind.fields}
    by_title.update({f.name.lower(): f for f in kind.fields if f.name.lower() not in by_title})
    columns: list[Field | None] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for raw in header:
        name = raw.strip()
        f = by_title.get(name.lower())
        if not name:
            columns.append(None)
        elif f is None:
            problems.append(Problem(1, name, "Unknown column. Use the column titles of the "
                                             f"export: {', '.join(x.title for x in kind.fields)}."))
            columns.append(None)
        elif f.title in seen:
            problems.append(Problem(1, name, "This column appears twice."))
            columns.append(None)
        else:
            seen.add(f.title)
            columns.append(None if f.read_only else f)
    for title in () if kind.new_without_key else kind.key_titles:
        if title not in seen:
            problems.append(Problem(1, title, "This column is required: it tells which "
                                              "record a row is."))
    return columns, problems


def _column_of(kind: ImportKind, name: str) -> str:
    if name == "__all__":
        return "Row"
    for f in kind.fields:
        if f.name == name or f.attr == name:
            return f.title
    return name.replace("_", " ").capitalize()


def import_file(*, ctx: Ctx, kind: ImportKind, data: bytes, file_name: str, dry_run: bool,
                expected_digest: str = "", progress: Progress | None = None,
                on_written: Callable[[Report], None] | None = None) -> Report:
    """Check every row of `data` and, unless `dry_run`, write them all (or none).

    Returns the report; raises ImportRejected (422) with the report when any row is refused,
    Conflict (409) when `expected_digest` is given and the diff differs from it."""
    ctx.require(kind.perm)
    report = Report(kind=kind.key, file_name=file_name[:200],
                    sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run)
    try:
        bundle = read_input(data, file_name)
    except FileRefused as exc:
        report.problems = exc.problems
        raise ImportRejected(report) from None
    table = bundle.table
    columns, problems = _header(kind, table.header)
    report.rows = len(table.rows)
    if problems:
        report.problems = problems
        raise ImportRejected(report)
    if not table.rows:
        report.problems = [Problem(2, "File", "No rows below the header row.")]
        raise ImportRejected(report)
    # One transaction; files stored for its rows (evidence) are removed when it rolls back.
    @atomic_with_files
    def run() -> None:
        _apply(ctx, kind, table, bundle.files, bundle.zipped, columns, report, progress)
        report.digest = digest_of(report.outcomes)
        if report.problems:
            raise _Undo
        if expected_digest and expected_digest != report.digest:
            raise Conflict("The records changed since the preview, so the import would no "
                           "longer do what it showed. Nothing was imported: preview the file "
                           "again.")
        if dry_run:
            raise _Undo
        report.written = True
        if on_written is not None:
            on_written(report)  # the import's own event, in the same transaction

    try:
        run()
    except _Undo:
        report.written = False
    if report.problems:
        raise ImportRejected(report)
    return report


def _apply(ctx: Ctx, kind: ImportKind, table: Table, files: dict[str, bytes], zipped: bool,
           columns: list[Field | None], report: Report, progress: Progress | None) -> None:
    look = kind.lookups(ctx)
    look.files, look.zipped = files, zipped
    existing = {kind.key_of_record(obj, look): obj for obj in kind.records(ctx)}
    seen_keys: dict[tuple, int] = {}
    total = len(table.rows)
    for done, (number, cells) in enumerate(table.rows, start=1):
        if progress is not None and (done % 200 == 0 or done == total):
            progress(done, total, f"{done} of {total} rows checked.")
        refused = _row(ctx, kind, number, cells, columns, look, existing, seen_keys, report)
        if refused:
            report.refused_rows += 1
            report.problems.extend(refused[:max(0, MAX_PROBLEMS - len(report.problems))])


def _row(ctx, kind: ImportKind, number: int, cells: list[str], columns, look: Lookups,
         existing: dict, seen_keys: dict, report: Report) -> list[Problem]:
    if len(cells) > len(columns) and any(cells[len(columns):]):
        return [Problem(number, "Row", f"{len(cells)} cells, but the header names "
                                       f"{len(columns)} columns.")]
    values: dict[str, Any] = {}
    texts: dict[str, str] = {}
    later: list[tuple[Field, str]] = []  # read only for a new record
    problems = []
    for f, text in zip(columns, cells, strict=False):
        if f is None:
            continue
        if f.create_only:
            later.append((f, text))
            continue
        try:
            values[f.name] = f.parse(text, look)
            texts[f.name] = text
        except RowError as exc:
            problems.append(Problem(number, exc.column, exc.message))
    if problems:
        return problems
    by_name = {f.name: f for f in kind.fields}
    key_names = [kind.field(t).name for t in kind.key_titles]
    if kind.new_without_key and not any(texts.get(n) for n in key_names):
        obj, label = None, f"new {kind.record_label.lower()}"
        values = {n: v for n, v in values.items() if n not in key_names}
    else:
        try:
            key = kind.key_of_row(values, look)
        except RowError as exc:
            return [Problem(number, exc.column, exc.message)]
        label = kind.label_of(values, look)
        if key in seen_keys:
            return [Problem(number, kind.key_titles[0], f"{label} is also on row "
                                                        f"{seen_keys[key]}: one row per record.")]
        seen_keys[key] = number
        obj = existing.get(key)
        if obj is None and kind.new_without_key:
            return [Problem(number, kind.key_titles[0], f"{label}: no such record. Leave "
                                                        f"{kind.key_titles[0]} empty to add "
                                                        "the row as a new one.")]
    if obj is None:
        for f, text in later:
            try:
                values[f.name] = f.parse(text, look)
                texts[f.name] = text
            except RowError as exc:
                problems.append(Problem(number, exc.column, exc.message))
        if problems:
            return problems
    try:
        if obj is None:
            if kind.create is None:
                return [Problem(number, kind.key_titles[0],
                                f"{label}: {kind.no_create_message}")]
            data = {n: v for n, v in values.items()
                    if not (by_name[n].blank_keeps and texts[n] == "")}
            kind.create(ctx, data)
            report.outcomes.append(RowOutcome(number, label, "create", {
                by_name[n].title: ["", by_name[n].show(v, look)] for n, v in data.items()
                if by_name[n].show(v, look) != ""}))
            return []
        changed: dict[str, Any] = {}
        shown: dict[str, list[str]] = {}
        for n, v in values.items():
            f = by_name[n]
            if f.blank_keeps and texts[n] == "":
                continue
            before = f.current(obj)
            if _same(before, v):
                continue
            changed[n] = v
            shown[f.title] = [f.show(before, look), f.show(v, look)]
        if not changed:
            report.outcomes.append(RowOutcome(number, label, "same"))
            return []
        kind.update(ctx, obj, changed)
        report.outcomes.append(RowOutcome(number, label, "change", shown))
        return []
    except PermissionDenied:
        raise
    except ValidationError as exc:
        return [Problem(number, _column_of(kind, name), " ".join(msgs))
                for name, msgs in exc.errors.items()]
    except DomainError as exc:
        return [Problem(number, "Row", exc.message)]


def _same(before: Any, after: Any) -> bool:
    if before in (None, "") and after in (None, ""):
        return True
    return before == after
