"""Support (clause 7): competence, documented information, and the evidence that controls
said to be implemented really are."""

from __future__ import annotations

from collections.abc import Iterator

from aims.core.wording import counted, plural_of
from aims.readiness import documented
from aims.readiness.facts import Facts
from aims.readiness.rules.base import Hit, Phase, Severity, Subject, rule

MAJOR, MINOR, OBSERVATION = Severity.MAJOR, Severity.MINOR, Severity.OBSERVATION


# ---------------------------------------------------------------------------- competence (7.2)


@rule("SUP-COMPETENCE-UNDEFINED", title="No AI-specific competence asked of any role",
      refs=("7.2", "A.4.6"), severity=MINOR, phase=Phase.SUPPORT)
def competence_undefined(facts: Facts) -> Iterator[Hit]:
    c = facts.competence
    if c.holders and not c.ai_requirements:
        yield Hit(f"{counted(c.holders, 'member')} {plural_of(c.holders, 'holds', 'hold')} AIMS roles, but no role says what AI-specific "
                  "competence it needs, so nobody can show they are competent for it.",
                  "For each role, record the AI-specific competence it needs and how it is "
                  "shown (training, certification, experience).", facts.url("people:roles"))


@rule("SUP-COMPETENCE-GAP", title="Role holder without current AI-specific competence evidence",
      refs=("7.2", "A.4.6"), severity=MINOR, phase=Phase.SUPPORT)
def competence_gap(facts: Facts) -> Iterator[Hit]:
    gaps = facts.competence.gaps
    # Nobody at all can show the competence their role asks for: a systematic failure.
    systematic = bool(gaps) and len({g.member.pk for g in gaps}) == facts.competence.ai_holders
    for g in gaps:
        who = g.member.display_name
        why = (f"their AI-specific training ({g.lapsed.topic}) expired on "
               f"{g.lapsed.expires_on:%Y-%m-%d}" if g.lapsed else
               "no AI-specific training or qualification is on record for them")
        yield Hit(f"{who} holds “{g.role.name}”, which asks for AI-specific competence, but "
                  f"{why}.",
                  "Record the training, certification or experience that shows their "
                  "competence, with its evidence.", facts.url("people:gaps"),
                  Subject("aims_role", str(g.role.pk), f"{g.role.name} — {who}"),
                  severity=MAJOR if systematic else None)


# ---------------------------------------------------------------------------- documents (7.5)


@rule("SUP-DOCINFO-MISSING", title="Mandatory documented information missing or not approved",
      refs=("7.5.1",), severity=MAJOR, phase=Phase.SUPPORT)
def documented_information(facts: Facts) -> Iterator[Hit]:
    for item in documented.checklist(facts):
        if item.state == documented.MISSING:
            yield Hit(f"{item.ref}: {item.what} — nothing in the record answers it "
                      f"({item.evidence.lower()}).",
                      "Write the document (or keep the records) and name the requirement on "
                      "it.", item.url, refs=("7.5.1", item.ref))
        elif item.state == documented.DRAFT:
            yield Hit(f"{item.ref}: {item.what} — {item.evidence}.",
                      "Have it approved so it is in force.", item.url, refs=("7.5.1", item.ref),
                      severity=MINOR)


@rule("SUP-DOC-REVIEW", title="Controlled document past its review date", refs=("7.5.2",),
      severity=MINOR, phase=Phase.SUPPORT)
def document_review(facts: Facts) -> Iterator[Hit]:
    for d in facts.documents:
        # The AI policy has a rule of its own (LEAD-POLICY-REVIEW).
        if d.kind != "ai_policy" and d.state(facts.as_of) == "past_review":
            yield Hit(f"{d.ref} {d.title} was due for review on {d.review_due:%Y-%m-%d}.",
                      "Review it and approve the next version (or the same text again).",
                      facts.url("documents:detail", d.id),
                      Subject("document", str(d.id), f"{d.ref} {d.title}"))


# ---------------------------------------------------------------------------- evidence


@rule("SUP-CONTROL-NO-EVIDENCE", title="Control said to be implemented with no evidence",
      refs=("6.1.3",), severity=MINOR, phase=Phase.CONTROLS)
def control_without_evidence(facts: Facts) -> Iterator[Hit]:
    implemented = [i for i in facts.controls
                   if i.applicable is True and i.status == "implemented"]
    bare = [i for i in implemented if facts.control_evidence.get(i.id) is None]
    # Not one implemented control can show its evidence: the SoA's claims are unsupported.
    systematic = len(implemented) >= 3 and len(bare) == len(implemented)
    for i in bare:
        yield Hit(f"{i.ref} “{i.title}” is marked implemented but no evidence is linked to it.",
                  "Link the evidence an auditor would ask for (a procedure, a record, a "
                  "report), or correct its status.", facts.url("compliance:item", i.ref),
                  Subject("compliance_item", str(i.id), f"{i.ref} {i.title}"),
                  severity=MAJOR if systematic else None, refs=("6.1.3", i.ref))


@rule("SUP-EVIDENCE-EXPIRED", title="Control whose only evidence has expired",
      refs=("6.1.3", "7.5.3"), severity=MINOR, phase=Phase.CONTROLS)
def evidence_expired(facts: Facts) -> Iterator[Hit]:
    for i in facts.controls:
        cover = facts.control_evidence.get(i.id)
        if i.applicable is True and cover is not None and not cover.current:
            yield Hit(f"{i.ref} “{i.title}”: every piece of evidence linked to it has passed "
                      "its valid-until date.",
                      "Add current evidence (the latest report, test or review).",
                      facts.url("compliance:item", i.ref),
                      Subject("compliance_item", str(i.id), f"{i.ref} {i.title}"),
                      refs=("6.1.3", "7.5.3", i.ref))
