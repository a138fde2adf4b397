"""Adding risks from a CSV file: all rows or none.

The first row names the columns, with the titles of the register export (or the API's field
names). Every row is checked before anything is written; if any row is refused, nothing is
kept and the report names each refused row, column and rule. A clean file is written in
bulk inside one transaction, with one activity event per risk.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from aims.activity.services import record
from aims.catalog.models import Requirement
from aims.catalog.selectors import ISO42001
from aims.compliance.models import ComplianceItem
from aims.core.errors import Conflict, ValidationError
from aims.core.fields import created, snapshot
from aims.inventory.models import AISystem
from aims.orgs.context import Ctx
from aims.orgs.models import Membership
from aims.records import writes
from aims.records.numbering import next_number
from aims.risks.exports import COMPUTED
from aims.risks.models import Risk, RiskCategory, RiskMethodology, RiskStatus, TreatmentOption
from aims.risks.selectors import methodology_for_form
from aims.risks.services import mark_applicable, methodology_for_scoring

MAX_ROWS = 1000

# Column title → the field of risk_create it fills.
FIELDS = {
    "Title": "title", "Description": "description", "Category": "category",
    "Risk source": "risk_source", "AI systems": "ai_systems", "Owner (e-mail)": "owner",
    "Inherent likelihood": "inherent_likelihood", "Inherent impact": "inherent_impact",
    "Treatment option": "treatment_option", "Treatment rationale": "treatment_rationale",
    "Annex A controls": "controls", "Residual likelihood": "residual_likelihood",
    "Residual impact": "residual_impact", "Next review": "next_review", "Status": "status",
    "Enterprise risk reference": "enterprise_ref",
}
TITLES = {field: title for title, field in FIELDS.items()}
ALIASES = {**{t.lower(): t for t in FIELDS}, **{f: t for t, f in FIELDS.items()},
           "owner": "Owner (e-mail)"}
INTEGERS = {"inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact"}
CHOICES = {"category": RiskCategory, "treatment_option": TreatmentOption, "status": RiskStatus}
REF = "ref"


@dataclass(frozen=True)
class ImportProblem:
    row: int  # the CSV record, counting the header as row 1
    column: str
    message: str


class ImportRejected(ValidationError):
    """Some rows were refused, so nothing was imported; `problems` is the report."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        errors: dict[str, list[str]] = {}
        for p in problems:
            errors.setdefault(f"row {p.row}", []).append(f"{p.column}: {p.message}")
        super().__init__(errors)
        rows = len({p.row for p in problems})
        self.message = (f"Nothing was imported: {len(problems)} "
                        f"problem{'s' if len(problems) != 1 else ''} in {rows} "
                        f"row{'s' if rows != 1 else ''}. Correct them and import the file again.")


@dataclass(frozen=True)
class ImportResult:
    created: list[Risk]


class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def _cell(value: str | None) -> str:
    text = (value or "").strip()
    # Exports guard cells that start like a formula with a quote; take it off again.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def _choice(column: str, enum, text: str) -> str:
    if not text:
        return ""
    for value, label in enum.choices:
        if text.lower() in (value.lower(), label.lower()):
            return value
    raise _RowError(column, f"“{text}” is not one of: {', '.join(enum.labels)}.")


def _header(row: list[str]) -> tuple[list[str | None], list[ImportProblem]]:
    columns: list[str | None] = []
    problems = []
    seen = set()
    for raw in row:
        name = _cell(raw)
        key = name.lower()
        if key in (REF, "reference"):
            columns.append(REF)
        elif name in COMPUTED or key in {c.lower() for c in COMPUTED}:
            columns.append(None)  # worked out by aims; whatever the file says is ignored
        elif key in ALIASES or name in ALIASES:
            title = ALIASES.get(name) or ALIASES[key]
            if title in seen:
                problems.append(ImportProblem(1, name, "This column appears twice."))
            seen.add(title)
            columns.append(title)
        elif not name:
            columns.append(None)
        else:
            problems.append(ImportProblem(1, name, "Unknown column. Use the column titles of "
                                                   "the register export."))
            columns.append(None)
    if "Title" not in seen:
        problems.append(ImportProblem(1, "Title", "A Title column is required."))
    return columns, problems


class _Lookups:
    """Members by e-mail, AI systems by name and Annex A controls by reference, read once for
    the whole file, so checking a row costs no query."""

    def __init__(self, ctx: Ctx) -> None:
        self.members = {m.user.email.lower(): m.user for m in Membership.objects
                        .filter(org=ctx.org).select_related("user")}
        # Names are unique in the inventory regardless of case, but rows kept from before
        # that rule may differ only in case: such a name is ambiguous, never merged.
        self.systems: dict[str, list[AISystem]] = {}
        for system in AISystem.objects.for_org(ctx.org).only("id", "name", "org_id") \
                .order_by("name"):
            self.systems.setdefault(system.name.lower(), []).append(system)
        self.controls = {c.requirement.ref: c for c in ComplianceItem.objects.for_org(ctx.org)
                         .filter(requirement__framework__code=ISO42001,
                                 requirement__kind=Requirement.Kind.CONTROL)
                         .select_related("requirement")}


def _row_data(values: dict[str, str], look: _Lookups) -> dict[str, Any]:
    if values.get(REF):
        raise _RowError("Ref", f"“{values[REF]}”: an import only adds new risks, which get "
                               "their own references. Empty this column to add the row as a "
                               "new risk.")
    data: dict[str, Any] = {}
    for title, text in values.items():
        if title == REF:
            continue
        field = FIELDS[title]
        if field in INTEGERS:
            if not text:
                data[field] = None
            elif not re.fullmatch(r"\d{1,3}", text):
                raise _RowError(title, f"“{text[:40]}” is not a whole number on the scale.")
            else:
                data[field] = int(text)
        elif field in CHOICES:
            data[field] = _choice(title, CHOICES[field], text)
        elif field == "next_review":
            try:
                data[field] = datetime.date.fromisoformat(text) if text else None
            except ValueError as exc:
                raise _RowError(title, f"“{text[:40]}” is not a date; write it as "
                                       "YYYY-MM-DD.") from exc
        elif field == "owner":
            if text and text.lower() not in look.members:
                raise _RowError(title, f"No member of this organisation has the e-mail "
                                       f"“{text[:80]}”.")
            data[field] = look.members.get(text.lower()) if text else None
        elif field == "ai_systems":
            names = [n.strip() for n in text.split(";") if n.strip()]
            if unknown := [n for n in names if n.lower() not in look.systems]:
                raise _RowError(title, "Not in the AI system inventory: "
                                       f"{', '.join(unknown)}. Separate names with “;”.")
            if ambiguous := [n for n in names if len(look.systems[n.lower()]) > 1]:
                raise _RowError(title, "More than one AI system has this name (differing "
                                       f"only in capitals): {', '.join(ambiguous)}. Rename "
                                       "one in the inventory, then import again.")
            chosen = {look.systems[n.lower()][0].pk: look.systems[n.lower()][0] for n in names}
            data[field] = sorted(chosen.values(), key=lambda s: s.name)
        elif field == "controls":
            refs = {r for r in re.split(r"[;,\s]+", text) if r}
            if missing := refs - set(look.controls):
                raise _RowError(title, f"Not an Annex A control: {', '.join(sorted(missing))}. "
                                       "Use references such as A.6.2.6.")
            data[field] = sorted((look.controls[r] for r in refs),
                                 key=lambda c: c.requirement.sort_key)
        else:
            data[field] = text
    if data.get("status") == "":
        data.pop("status")
    return data


def _read(text: str) -> list[list[str]]:
    text = text.removeprefix("\ufeff")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportRejected([ImportProblem(0, "File", f"Not a readable CSV file: {exc}.")]) \
            from exc


def _validate(ctx: Ctx, body, columns, methodology: RiskMethodology, look: _Lookups,
              problems: list[ImportProblem]) -> list[tuple[Risk, dict[str, list]]]:
    """Check every row without writing: the unsaved risks and their links, and the report."""
    out = []
    for number, row in body:
        if len(row) > len(columns):
            problems.append(ImportProblem(number, "File", f"{len(row)} cells, but the header "
                                                          f"names {len(columns)} columns."))
            continue
        values = {col: _cell(v) for col, v in zip(columns, row, strict=False) if col}
        try:
            data = _row_data(values, look)
        except _RowError as exc:
            problems.append(ImportProblem(number, exc.column, exc.message))
            continue
        links = {"ai_systems": data.pop("ai_systems", None) or [],
                 "controls": data.pop("controls", None) or []}
        risk = Risk(org=ctx.org, methodology=methodology, **data)
        try:
            # The foreign keys come from the lookups above and the number and reference are
            # given on saving: leaving them out keeps the check free of queries.
            writes.full_clean(risk, exclude=UNCHECKED)
        except ValidationError as exc:
            for field, messages in exc.errors.items():
                column = "Row" if field == "__all__" else \
                    TITLES.get(field, field.replace("_", " ").capitalize())
                problems.extend(ImportProblem(number, column, m) for m in messages)
            continue
        out.append((risk, links))
    return out


UNCHECKED = ("id", "org", "number", "ref", "methodology", "owner", "accepted_by")


@transaction.atomic
def risk_import(*, ctx: Ctx, text: str) -> ImportResult:
    """Create one risk per data row of the CSV `text`, or none if any row is refused.

    Every row is checked first; only a file without problems is written, in a bounded
    number of queries plus one activity event (and its chain update) per risk."""
    ctx.require("risks.change")
    if "\x00" in (text or ""):
        raise ImportRejected([ImportProblem(0, "File", "The file holds NUL characters; "
                                                       "save it as UTF-8 CSV text.")])
    records = _read(text or "")
    if not records or not any(_cell(v) for v in records[0]):
        raise ImportRejected([ImportProblem(1, "File", "The file is empty: the first row "
                                                       "must name the columns.")])
    columns, problems = _header(records[0])
    if problems:
        raise ImportRejected(problems)
    body = [(n, r) for n, r in enumerate(records[1:], start=2) if any(_cell(v) for v in r)]
    if not body:
        raise ImportRejected([ImportProblem(2, "File", "No risks below the header row.")])
    if len(body) > MAX_ROWS:
        raise ImportRejected([ImportProblem(
            body[MAX_ROWS][0], "File", f"At most {MAX_ROWS} risks per import; split the file.")])
    look = _Lookups(ctx)
    checked_under = methodology_for_form(ctx=ctx)
    rows = _validate(ctx, body, columns, checked_under, look, problems)
    if problems:
        raise ImportRejected(problems)
    # Now write: the organisation row is the lock for numbering, taken once for the file.
    methodology = methodology_for_scoring(ctx=ctx)
    if methodology.number != checked_under.number:
        # A new methodology version arrived while the file was checked: check it again.
        rows = _validate(ctx, body, columns, methodology, look, problems)
        if problems:
            raise ImportRejected(problems)
    first = next_number(Risk, ctx=ctx)
    risks = []
    for offset, (risk, _) in enumerate(rows):
        risk.number = first + offset
        risk.ref = f"R-{risk.number:03d}"
        risk.methodology = methodology
        risks.append(risk)
    try:
        with transaction.atomic():
            Risk.all_orgs.bulk_create(risks)  # every row has org=ctx.org
            Risk.ai_systems.through.objects.bulk_create([
                Risk.ai_systems.through(risk_id=risk.pk, aisystem_id=s.pk)
                for risk, links in rows for s in links["ai_systems"]])
            Risk.controls.through.objects.bulk_create([
                Risk.controls.through(risk_id=risk.pk, complianceitem_id=c.pk)
                for risk, links in rows for c in links["controls"]])
    except IntegrityError as exc:
        raise Conflict("Someone added risks while the file was imported. "
                       "Import it again.") from exc
    logged = [f for f in writes.audited_fields(Risk) if f != "version"]
    for risk, links in rows:
        # One event per risk, in the same shape as adding it by hand, each chained in turn.
        record(ctx=ctx, action="create", obj=risk, changes={
            **created(snapshot(risk, logged)),
            "methodology": {"before": None, "after": f"v{methodology.number}"},
            "ai_systems": {"before": None,
                           "after": [s.name for s in links["ai_systems"]]},
            "controls": {"before": None,
                         "after": [c.requirement.ref for c in links["controls"]]}})
    # Each control newly linked becomes applicable in the SoA, once, for its first risk.
    first_risk: dict = {}
    for risk, links in rows:
        for control in links["controls"]:
            first_risk.setdefault(control.pk, (control, risk))
    if first_risk:
        locked = {c.pk: c for c in ComplianceItem.objects.for_org(ctx.org).select_for_update()
                  .filter(pk__in=first_risk).select_related("requirement")
                  .order_by("requirement__sort_key")}
        for pk, item in locked.items():
            mark_applicable(ctx, first_risk[pk][1], [item])
    return ImportResult(created=risks)
