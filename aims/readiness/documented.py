"""The documented information ISO/IEC 42001 requires an organisation to maintain or retain,
and what in the record satisfies each item.

The catalog marks each requirement that asks for documented information (`maintain`: a
controlled document kept up to date; `retain`: records kept as evidence). Here each one is
answered by the record: a controlled document that names the requirement (or is of the kind
that carries it), or the records that are the evidence themselves (risk assessments, approved
impact assessments, audit reports…). A control of Annex A needs its documented information
only when it is applicable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aims.core.wording import counted
from aims.readiness.facts import Facts

MISSING, DRAFT, PAST_REVIEW, ON_RECORD = "missing", "draft", "past_review", "on_record"
STATE_LABELS = {MISSING: "Missing", DRAFT: "Draft only", PAST_REVIEW: "Past its review",
                ON_RECORD: "On record"}


@dataclass(frozen=True)
class Item:
    ref: str
    title: str
    keep: str  # maintain | retain
    what: str  # what the organisation must have, in our words
    state: str
    evidence: str  # what satisfies it, or what is missing
    url: str

    @property
    def exists(self) -> bool:
        return self.state in (ON_RECORD, PAST_REVIEW)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


# What the records themselves show for a requirement: (found?, what shows it, where) or None
# when only a document can satisfy it.
Records = Callable[[Facts], tuple[bool, str, str]]


def _count(n: int, one: str, url: str) -> tuple[bool, str, str]:
    return n > 0, (f"{n} {one}{'' if n == 1 else 's'} on record" if n else f"No {one} yet"), url


def _resources(kind: str, one: str) -> Records:
    """Resources of `kind` documented in the inventory answer the item."""
    return lambda f: _count(f.resource_kinds.get(kind, 0), one, f.url("inventory:resources"))


RECORDS: dict[str, tuple[str, Records | None, tuple[str, ...]]] = {
    # ref: (what, the records that satisfy it, the document kinds that carry it)
    "4.3": ("The scope of the AIMS, with its boundaries and what is in and out",
            lambda f: (f.scope is not None,
                       f"Scope version {f.scope.number}" if f.scope else "No scope statement",
                       f.url("context:scope")), ("scope",)),
    "5.2": ("The AI policy", None, ("ai_policy",)),
    "A.2.2": ("The AI policy", None, ("ai_policy",)),
    "6.1.1": ("How the organisation addresses AI risks and opportunities", None,
              ("methodology", "procedure")),
    "6.1.2": ("The AI risk assessment process and its results",
              lambda f: _count(f.risks.rated, "rated risk", f.url("risks:list")),
              ("methodology",)),
    "6.1.3": ("The AI risk treatment and the Statement of Applicability",
              lambda f: (bool(f.controls) and all(i.applicable is not None for i in f.controls)
                         and f.risks.treated > 0,
                         "The SoA decides every control and risks carry their treatment"
                         if f.controls and all(i.applicable is not None for i in f.controls)
                         else "The SoA still has undecided controls",
                         f.url("compliance:soa")), ()),
    "6.1.4": ("The AI system impact assessment process and its results",
              lambda f: _count(len(f.assessments), "approved impact assessment",
                               f.url("impact:list")), ()),
    "6.2": ("The AI objectives",
            lambda f: _count(len(f.objectives), "AI objective", f.url("objectives:list")), ()),
    "7.2": ("Evidence of competence",
            lambda f: _count(f.training_records, "training record", f.url("people:training")),
            ()),
    "8.1": ("Evidence that processes ran as planned",
            lambda f: _count(f.lifecycle_records, "lifecycle record",
                             f.url("inventory:list")), ("procedure",)),
    "8.2": ("Results of AI risk assessments",
            lambda f: _count(f.risks.rated, "rated risk", f.url("risks:list")),
            ()),
    "8.3": ("Results of AI risk treatment",
            lambda f: _count(f.risks.treated, "treated risk",
                             f.url("risks:list")), ()),
    "8.4": ("Results of AI system impact assessments",
            lambda f: _count(len(f.assessments), "approved impact assessment",
                             f.url("impact:list")), ()),
    "9.1": ("Results of monitoring and measurement",
            lambda f: _count(f.monitor_results + f.measurements, "monitoring result",
                             f.url("objectives:monitors")), ()),
    "9.2.2": ("The audit programme and audit results",
              lambda f: (f.audit_programmes > 0 and f.audits_reported > 0,
                         f"{counted(f.audit_programmes, 'programme')}, "
                         f"{counted(f.audits_reported, 'audit report')} issued", f.url("audits:programmes")), ()),
    "9.3.3": ("The results of management reviews",
              lambda f: (f.last_review is not None,
                         f"{f.last_review.ref} held on {f.last_review.meeting_date:%Y-%m-%d}"
                         if f.last_review else "No management review held yet",
                         f.url("reviews:list")), ()),
    "10.2": ("Nonconformities, the actions taken and their results",
             lambda f: (True, f"{f.nonconformities} nonconformit"
                              f"{'y' if f.nonconformities == 1 else 'ies'} on record "
                              "(a register kept even when empty)",
                        f.url("improvement:nc_list")), ()),
    "A.4.2": ("Documentation of the resources AI systems use",
              lambda f: _count(f.resources, "resource", f.url("inventory:resources")), ()),
    "A.4.3": ("Documentation of data resources", _resources("data", "data resource"), ()),
    "A.4.4": ("Documentation of tooling resources", _resources("tooling", "tooling resource"),
              ()),
    "A.4.5": ("Documentation of system and computing resources",
              _resources("computing", "computing resource"), ()),
    "A.4.6": ("Documentation of human resources and their competence",
              _resources("human", "human resource"), ()),
    "A.6.1.2": ("Objectives for developing AI responsibly",
                lambda f: _count(len(f.objectives), "AI objective", f.url("objectives:list")),
                ()),
    "A.6.2.2": ("Requirements and specification of each AI system",
                lambda f: _count(len(f.systems), "AI system described in the inventory",
                                 f.url("inventory:list")), ()),
    "A.6.2.4": ("Verification and validation of AI systems before release",
                lambda f: _count(f.lifecycle_records, "lifecycle record",
                                 f.url("inventory:list")), ()),
    "A.6.2.5": ("How AI systems are deployed",
                lambda f: _count(len(f.standing_approvals), "standing deployment approval",
                                 f.url("inventory:list")), ("procedure",)),
    "A.6.2.6": ("How AI systems are operated and monitored",
                lambda f: _count(len(f.monitors), "active monitor",
                                 f.url("objectives:monitors")), ()),
    "A.6.2.7": ("Technical documentation of each AI system",
                lambda f: _count(len(f.systems), "AI system described in the inventory",
                                 f.url("inventory:list")), ()),
    "A.6.2.8": ("Records of AI systems' events",
                lambda f: _count(f.monitor_results + f.lifecycle_records, "recorded event",
                                 f.url("objectives:monitors")), ()),
    "A.7.2": ("Data used to develop and improve AI systems",
              _resources("data", "data resource"), ()),
    "A.7.3": ("How data is acquired", _resources("data", "data resource"), ()),
    "A.7.4": ("The quality of data for AI systems", _resources("data", "data resource"), ()),
    "A.7.5": ("Where data comes from", _resources("data", "data resource"), ()),
    "A.7.6": ("How data is prepared", _resources("data", "data resource"), ()),
    "A.8.5": ("What interested parties are told about AI systems",
              lambda f: _count(len(f.context.parties), "interested party",
                               f.url("context:parties")), ()),
    "A.9.3": ("Objectives for using AI responsibly",
              lambda f: _count(len(f.objectives), "AI objective", f.url("objectives:list")), ()),
    "A.5.3": ("Documented impact assessments",
              lambda f: _count(len(f.assessments), "approved impact assessment",
                               f.url("impact:list")), ()),
    "A.5.4": ("Impact assessments of individuals and groups",
              lambda f: _count(len(f.assessments), "approved impact assessment",
                               f.url("impact:list")), ()),
    "A.5.5": ("Assessments of societal impacts",
              lambda f: _count(len(f.assessments), "approved impact assessment",
                               f.url("impact:list")), ()),
}


def checklist(facts: Facts) -> list[Item]:
    """Every requirement that asks for documented information and applies to the
    organisation, with what in the record answers it."""
    out = []
    for item in facts.items:
        keep = facts.documented_information.get(item.ref)
        if not keep or (item.kind == "annex_a_control" and item.applicable is False):
            continue
        what, records, kinds = RECORDS.get(item.ref, (item.title, None, ()))
        out.append(_answer(facts, item.ref, item.title, keep, what, records, kinds))
    return out


def _answer(facts: Facts, ref: str, title: str, keep: str, what: str, records: Records | None,
            kinds: tuple[str, ...]) -> Item:
    docs = [d for d in facts.documents if ref in d.requirement_refs or d.kind in kinds]
    states = {d.state(facts.as_of) for d in docs}
    if records is not None:
        found, shown, url = records(facts)
        if found:
            return Item(ref, title, keep, what, ON_RECORD, shown, url)
    if "approved" in states:
        doc = next(d for d in docs if d.state(facts.as_of) == "approved")
        return Item(ref, title, keep, what, ON_RECORD, f"{doc.ref} {doc.title}",
                    facts.url("documents:detail", doc.id))
    if "past_review" in states:
        doc = next(d for d in docs if d.state(facts.as_of) == "past_review")
        return Item(ref, title, keep, what, PAST_REVIEW,
                    f"{doc.ref} {doc.title} (review due {doc.review_due:%Y-%m-%d})",
                    facts.url("documents:detail", doc.id))
    if docs:
        doc = docs[0]
        return Item(ref, title, keep, what, DRAFT, f"{doc.ref} {doc.title} is not yet approved",
                    facts.url("documents:detail", doc.id))
    shown = records(facts)[1] if records is not None else "No document names this requirement"
    return Item(ref, title, keep, what, MISSING, shown,
                records(facts)[2] if records is not None else facts.url("documents:create"))
