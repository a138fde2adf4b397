"""What the readiness pages show of an evaluation: the day it is judged as of, its findings
grouped by severity and narrowed by filters, each linked to the record at fault.

The web pages (readiness, dashboard, executive brief) and the clause pages of compliance
(through the REQUIREMENT_FINDINGS hook) read evaluations through here, so a finding looks
the same wherever it is shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from aims.core.dates import add_months
from aims.orgs.context import Ctx
from aims.readiness import selectors
from aims.readiness.engine import Evaluation
from aims.readiness.models import ExternalAudit
from aims.readiness.rules.base import Finding, Severity
from aims.records.kinds import Linked, resolve

SEVERITIES = (Severity.MAJOR, Severity.MINOR, Severity.OBSERVATION)
SEVERITY_LABELS = {Severity.MAJOR: "Major", Severity.MINOR: "Minor",
                   Severity.OBSERVATION: "Observation"}
SEVERITY_BADGES = {Severity.MAJOR: "bad", Severity.MINOR: "warn", Severity.OBSERVATION: "muted"}
SEVERITY_HELP = {
    Severity.MAJOR: "An auditor would raise a major nonconformity: a required element is "
                    "missing or fails throughout. Any one of them stops a Stage 1 audit.",
    Severity.MINOR: "A lapse in something that exists: an auditor would raise a minor "
                    "nonconformity and expect a corrective action.",
    Severity.OBSERVATION: "A weakness worth attention before it becomes a nonconformity.",
}


def under(ref: str, ancestor: str) -> bool:
    """Whether requirement `ref` is `ancestor` or lies below it ("6.1.2" under "6")."""
    return ref == ancestor or ref.startswith(ancestor + ".")


def concerns(refs: tuple[str, ...] | list[str], ref: str) -> bool:
    """Whether a finding naming `refs` concerns requirement `ref`: it names the requirement,
    something above it (it counts on it) or something below it (it counts in it)."""
    return any(under(named, ref) or under(ref, named) for named in refs)


# ---------------------------------------------------------------------------- the day


@dataclass(frozen=True)
class Day:
    """The day an evaluation is judged as of, and why that day."""

    as_of: datetime.date
    today: datetime.date
    audit: ExternalAudit | None  # the next external audit, when one is planned
    chosen: bool  # the person picked the day (otherwise: the audit's day, or today)

    @property
    def is_today(self) -> bool:
        return self.as_of == self.today

    @property
    def is_audit_day(self) -> bool:
        return self.audit is not None and self.as_of == self.audit.start_date

    @property
    def days_to_audit(self) -> int | None:
        return (self.audit.start_date - self.today).days if self.audit else None


def judgement_day(*, ctx: Ctx, requested: datetime.date | None = None) -> Day:
    """The day to judge as of: the one requested, else the start of the next external audit
    when one is planned (readiness is what it will be then), else today."""
    today = timezone.localdate()
    audit = selectors.next_external_audit(ctx=ctx, today=today)
    if requested is not None:
        return Day(as_of=requested, today=today, audit=audit, chosen=True)
    return Day(as_of=audit.start_date if audit else today, today=today, audit=audit,
               chosen=False)


# ---------------------------------------------------------------------------- findings


def ref_url(slug: str, ref: str) -> str:
    """The page of a clause or control of the organisation; for an Annex A domain, its part
    of the Statement of Applicability."""
    if ref.startswith("A.") and ref.count(".") == 1:
        return reverse("compliance:soa", args=[slug]) + f"?domain={ref}"
    return reverse("compliance:item", args=[slug, ref])


@dataclass(frozen=True)
class Shown:
    """One finding as a page shows it: the finding, its requirements' pages and the record
    at fault, resolved."""

    finding: Finding
    record: Linked | None
    refs: list[tuple[str, str]]  # (ref, url)

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.finding.severity]

    @property
    def badge(self) -> str:
        return SEVERITY_BADGES[self.finding.severity]


def shown(*, ctx: Ctx, findings: list[Finding]) -> list[Shown]:
    """`findings` with their records resolved (one query per kind of record present)."""
    refs = [(f.subject.kind, f.subject.id) for f in findings if f.subject]
    linked = {(kind, str(pk)): v
              for (kind, pk), v in (resolve(ctx=ctx, refs=refs) if refs else {}).items()}
    slug = ctx.org.slug
    return [Shown(finding=f, record=linked.get((f.subject.kind, f.subject.id))
                  if f.subject else None, refs=[(r, ref_url(slug, r)) for r in f.refs])
            for f in findings]


def narrowed(findings: list[Finding], *, severity: str = "", ref: str = "") -> list[Finding]:
    """The findings of one severity and concerning one clause or domain (either may be
    blank: all)."""
    return [f for f in findings if (not severity or f.severity == severity)
            and (not ref or concerns(f.refs, ref))]


@dataclass(frozen=True)
class Group:
    severity: Severity
    label: str
    help: str
    badge: str
    items: list[Shown]


def grouped(items: list[Shown]) -> list[Group]:
    """The findings by severity, gravest first; severities without a finding left out."""
    return [Group(severity=s, label=SEVERITY_LABELS[s], help=SEVERITY_HELP[s],
                  badge=SEVERITY_BADGES[s],
                  items=[i for i in items if i.finding.severity == s])
            for s in SEVERITIES if any(i.finding.severity == s for i in items)]


def top(evaluation: Evaluation, n: int = 5) -> list[Finding]:
    """The `n` gravest findings (the engine lists them gravest first)."""
    return evaluation.findings[:n]


def area_choices(evaluation: Evaluation) -> list[tuple[str, str]]:
    """(ref, label) of the clauses and Annex A domains, for the findings filter."""
    return [(s.ref, f"{s.ref} {s.title}") for s in [*evaluation.clauses, *evaluation.domains]]


def counts(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The number of findings of each severity, gravest first, with their labels and the
    count in words ("1 major", "2 observations": only the noun takes a plural)."""
    out = []
    for s in SEVERITIES:
        n = evaluation.counts[s.value]
        words = f"{n} {SEVERITY_LABELS[s].lower()}"
        if s == Severity.OBSERVATION and n != 1:
            words += "s"
        out.append({"severity": s.value, "label": SEVERITY_LABELS[s], "badge": SEVERITY_BADGES[s],
                    "count": n, "words": words})
    return out


def missing_documented(evaluation: Evaluation) -> list[Any]:
    return [i for i in evaluation.documented if not i.exists]


# ---------------------------------------------------------------------------- requirements


def findings_by_requirement(*, ctx: Ctx, refs: list[str]) -> dict[str, list[dict[str, Any]]]:
    """{ref: the findings of today's evaluation that concern it} for each of `refs`: what a
    requirement's page shows (the REQUIREMENT_FINDINGS hook)."""
    evaluation = selectors.readiness_evaluate(ctx=ctx, as_of=timezone.localdate())
    rows = [{**f.as_dict(), "url": f.url} for f in evaluation.findings]
    return {ref: [r for r in rows if concerns(r["refs"], ref)] for ref in refs}


# ---------------------------------------------------------------------------- the cycle

SURVEILLANCE_YEARS = (1, 2)  # audits in the two years between issue and recertification
RECERTIFY_AHEAD_MONTHS = 3  # recertification is audited this long before the expiry


@dataclass(frozen=True)
class Due:
    """One audit the certificate calls for: when, and the audit recorded for it, if any."""

    label: str
    kind: str
    due: datetime.date
    audit: ExternalAudit | None
    state: str  # held | planned | overdue | due

    @property
    def badge(self) -> str:
        return {"held": "ok", "planned": "ok", "overdue": "bad"}.get(self.state, "warn")


def cycle(cert: Any, today: datetime.date) -> list[Due]:
    """The surveillance audits (yearly after issue) and the recertification (before expiry)
    of `cert`, each matched with the audit of its kind recorded for it, in order."""
    if not cert.issued_on:
        return []
    audits = list(cert.audits.all())
    wanted = [(f"Surveillance audit, year {n}", "surveillance",
               add_months(cert.issued_on, 12 * n)) for n in SURVEILLANCE_YEARS]
    if cert.valid_until:
        wanted.append(("Recertification audit", "recertification",
                       add_months(cert.valid_until, -RECERTIFY_AHEAD_MONTHS)))
    out, used = [], set()
    for label, kind, due in wanted:
        audit = next((a for a in audits if a.kind == kind and a.pk not in used), None)
        if audit is not None:
            used.add(audit.pk)
            state = "held" if audit.start_date <= today else "planned"
        else:
            state = "overdue" if due < today else "due"
        out.append(Due(label=label, kind=kind, due=due, audit=audit, state=state))
    return out
