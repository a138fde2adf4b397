"""Planning (clause 6, with A.5 and the SoA): risk assessment and treatment, the Statement of
Applicability, impact assessments, AI objectives."""

from __future__ import annotations

from collections.abc import Iterator

from aims.core.justification import justification_problem
from aims.core.wording import counted, plural_of
from aims.readiness.facts import Facts
from aims.readiness.rules.base import Hit, Omitted, Phase, Severity, Subject, listed, rule

MAJOR, MINOR, OBSERVATION = Severity.MAJOR, Severity.MINOR, Severity.OBSERVATION


def _risk(r) -> Subject:
    return Subject("risk", str(r.id), f"{r.ref} {r.title}")


def _system(s) -> Subject:
    return Subject("ai_system", str(s.id), s.name)


def _item(item) -> Subject:
    return Subject("compliance_item", str(item.id), f"{item.ref} {item.title}")


# ---------------------------------------------------------------------------- risks (6.1.2, 6.1.3)


@rule("RISK-METHODOLOGY-MISSING", title="No AI risk methodology", refs=("6.1.2",),
      severity=MAJOR, phase=Phase.RISK)
def methodology_missing(facts: Facts) -> Iterator[Hit]:
    if not facts.has_methodology:
        yield Hit("There is no AI risk methodology: risks cannot be rated consistently or "
                  "compared with an acceptance threshold.",
                  "Write the risk methodology: likelihood and impact scales, the levels they "
                  "give and the level above which the risk owner must sign off.",
                  facts.url("risks:methodology"))


@rule("RISK-NONE", title="AI systems in scope but no AI risk on record", refs=("6.1.2", "8.2"),
      severity=MAJOR, phase=Phase.RISK)
def risks_none(facts: Facts) -> Iterator[Hit]:
    if facts.in_scope_systems and not facts.risks.open:
        yield Hit(f"{counted(len(facts.in_scope_systems), 'AI system')} "
                  f"{plural_of(len(facts.in_scope_systems), 'is', 'are')} in scope but the risk "
                  "register holds no open risk: the AI risk assessment has not been done.",
                  "Assess the risks of each in-scope system and record them in the register "
                  "with their rating and treatment.", facts.url("risks:create"))


@rule("RISK-NO-OWNER", title="Risk without an owner", refs=("6.1.2",), severity=MINOR,
      phase=Phase.RISK)
def risk_no_owner(facts: Facts) -> Iterator[Hit | Omitted]:
    yield from listed(facts.risks.unowned, lambda r: Hit(
        f"{r.ref} “{r.title}” has no owner: nobody is accountable for treating it.",
        "Name the risk owner, who decides its treatment and signs off what is left.",
        facts.url("risks:edit", r.id), _risk(r)))


@rule("RISK-UNRATED", title="Risk not rated", refs=("6.1.2",), severity=MINOR,
      phase=Phase.RISK)
def risk_unrated(facts: Facts) -> Iterator[Hit | Omitted]:
    yield from listed(facts.risks.unrated, lambda r: Hit(
        f"{r.ref} “{r.title}” has no likelihood and impact rating, so its level is unknown.",
        "Rate its likelihood and impact with the methodology's scales.",
        facts.url("risks:edit", r.id), _risk(r)))


@rule("RISK-NO-TREATMENT", title="Rated risk without a treatment decision", refs=("6.1.3",),
      severity=MINOR, phase=Phase.RISK)
def risk_no_treatment(facts: Facts) -> Iterator[Hit | Omitted]:
    yield from listed(facts.risks.untreated, lambda r: Hit(
        f"{r.ref} “{r.title}” is rated {r.level or 'without a level'} but no treatment was "
        "decided (accept, mitigate, transfer or avoid).",
        "Decide the treatment and say why, then rate what is left after it.",
        facts.url("risks:edit", r.id), _risk(r)))


@rule("RISK-REVIEW-OVERDUE", title="Risk past its review date", refs=("6.1.2", "8.2"),
      severity=MINOR, phase=Phase.RISK)
def risk_review_overdue(facts: Facts) -> Iterator[Hit | Omitted]:
    yield from listed(facts.risks.review_overdue, lambda r: Hit(
        f"{r.ref} “{r.title}” was due for review on {r.next_review:%Y-%m-%d}.",
        "Review the risk, update its rating and treatment if needed and set the next review "
        "date.", facts.url("risks:edit", r.id), _risk(r)))


@rule("RISK-SIGNOFF-MISSING", title="Residual risk above the threshold without the owner's "
      "sign-off", refs=("6.1.3", "8.3"), severity=MINOR, phase=Phase.RISK)
def risk_signoff_missing(facts: Facts) -> Iterator[Hit | Omitted]:
    yield from listed(facts.risks.unsigned, lambda r: Hit(
        f"{r.ref} “{r.title}” stays {r.level} after treatment, above the acceptance "
        "threshold, and its owner has not signed it off.",
        "Have the risk owner sign off the residual risk, or treat it further.",
        facts.url("risks:detail", r.id), _risk(r)))


@rule("RISK-MITIGATE-NO-CONTROL", title="Risk to be mitigated with no control named",
      refs=("6.1.3",), severity=MINOR, phase=Phase.RISK)
def risk_mitigate_without_control(facts: Facts) -> Iterator[Hit | Omitted]:
    yield from listed(facts.risks.uncontrolled, lambda r: Hit(
        f"{r.ref} “{r.title}” is to be mitigated but names no control that treats it, so the "
        "SoA cannot show why a control is needed.",
        "Link the Annex A controls that treat the risk.",
        facts.url("risks:edit", r.id), _risk(r)))


@rule("RISK-CONTROL-NOT-APPLICABLE", title="A control treating a risk is not applicable in "
      "the SoA", refs=("6.1.3",), severity=MINOR, phase=Phase.CONTROLS)
def risk_control_not_applicable(facts: Facts) -> Iterator[Hit]:
    for link in facts.risks.controls:
        ref = link.control_ref
        item = facts.by_ref.get(ref)
        if item is not None and item.applicable is not True:
            subject = _item(item)
            state = "excluded" if item.applicable is False else "not yet decided"
            yield Hit(f"{ref} treats {link.risk_ref} “{link.risk_title}” but is {state} in the "
                      "Statement of Applicability: the SoA contradicts the risk treatment.",
                      f"Mark {ref} applicable (for risk treatment) in the SoA, or change "
                      "the risk's treatment.", facts.url("compliance:item", ref), subject,
                      refs=("6.1.3", ref))


# ---------------------------------------------------------------------------- the SoA (6.1.3)


@rule("SOA-UNDECIDED", title="Annex A control with no applicability decision",
      refs=("6.1.3",), severity=MAJOR, phase=Phase.CONTROLS)
def soa_undecided(facts: Facts) -> Iterator[Hit]:
    for item in facts.controls:
        if item.applicable is None:
            subject, url = _item(item), facts.url("compliance:item", item.ref)
            yield Hit(f"The Statement of Applicability has no decision on {item.ref} "
                      f"“{item.title}”.",
                      "Decide whether the control is applicable and say why (or why not).",
                      url, subject, refs=("6.1.3", item.ref))


@rule("SOA-JUSTIFICATION", title="Exclusion without a real justification", refs=("6.1.3",),
      severity=MINOR, phase=Phase.CONTROLS)
def soa_justification(facts: Facts) -> Iterator[Hit]:
    for item in facts.controls:
        if item.applicable is False and (problem := justification_problem(item.justification)):
            subject, url = _item(item), facts.url("compliance:item", item.ref)
            yield Hit(f"{item.ref} “{item.title}” is excluded without a justification an "
                      f"auditor can check: {problem}",
                      "Say why the control does not apply, in terms an auditor can verify.",
                      url, subject, refs=("6.1.3", item.ref))


# Annex A domains that certain facts of the record make relevant: excluding them contradicts it.
RELEVANT_DOMAINS = {
    "A.5": ("in-scope AI systems", lambda f: len(f.in_scope_systems)),
    "A.6": ("in-scope AI systems", lambda f: len(f.in_scope_systems)),
    "A.10": ("third parties on record", lambda f: f.supplier_count),
}


@rule("SOA-DOMAIN-EXCLUDED", title="A whole Annex A domain excluded although the record "
      "makes it relevant", refs=("6.1.3",), severity=MAJOR, phase=Phase.CONTROLS)
def soa_domain_excluded(facts: Facts) -> Iterator[Hit]:
    for domain, (what, count) in RELEVANT_DOMAINS.items():
        controls = [i for i in facts.controls if i.domain == domain]
        if controls and all(i.applicable is False for i in controls) and (n := count(facts)):
            yield Hit(f"Every control of {domain} is excluded, yet the record holds {n} "
                      f"{what}, which make it relevant.",
                      f"Review the exclusions of {domain}: apply the controls the record "
                      "calls for, or show why none applies.",
                      facts.url("compliance:soa", query=f"domain={domain}"),
                      refs=("6.1.3", domain))


# ---------------------------------------------------------------------------- impact (6.1.4, A.5)


@rule("IA-MISSING", title="In-scope AI system without an approved impact assessment",
      refs=("6.1.4", "8.4", "A.5.2"), severity=MAJOR, phase=Phase.RISK)
def ia_missing(facts: Facts) -> Iterator[Hit]:
    for s in facts.in_scope_systems:
        if s.id not in facts.assessments:
            subject = _system(s)
            yield Hit(f"{s.name} is in scope but has no approved impact assessment.",
                      "Assess the system's impacts on individuals, groups and society, and have "
                      "the assessment approved by someone who did not write it.",
                      facts.url("impact:create", query=f"system={s.id}"), subject)


@rule("IA-STALE", title="Impact assessment past its re-assessment date or older than the "
      "system's last significant change", refs=("6.1.4", "8.4", "A.5.2"), severity=MINOR,
      phase=Phase.RISK)
def ia_stale(facts: Facts) -> Iterator[Hit]:
    for s in facts.in_scope_systems:
        a = facts.assessments.get(s.id)
        if a is None:
            continue
        changed = s.last_significant_change
        # The link and the subject are made for the systems named only.
        if a.status == "needs_reassessment" or (
                changed and a.approved_on and changed > a.approved_on):
            yield Hit(f"{s.name}'s impact assessment (version {a.number}) predates a "
                      f"significant change to the system"
                      f"{f' on {changed:%Y-%m-%d}' if changed else ''}.",
                      "Re-assess the system as it is now and have the new version approved.",
                      facts.url("impact:detail", a.id), _system(s))
        elif a.next_due and a.next_due < facts.as_of:
            yield Hit(f"{s.name}'s impact assessment (version {a.number}) was due for "
                      f"re-assessment on {a.next_due:%Y-%m-%d}.",
                      "Re-assess the system and have the new version approved.",
                      facts.url("impact:detail", a.id), _system(s))


# ---------------------------------------------------------------------------- objectives (6.2)


@rule("OBJ-NONE", title="No AI objectives", refs=("6.2",), severity=MAJOR,
      phase=Phase.LEADERSHIP)
def objectives_none(facts: Facts) -> Iterator[Hit]:
    if not facts.objectives:
        yield Hit("The organisation pursues no AI objectives: nothing says what the AIMS is "
                  "meant to achieve or how progress is measured.",
                  "Set measurable AI objectives consistent with the AI policy, each with an "
                  "owner, a target and a measuring frequency.", facts.url("objectives:create"))


@rule("OBJ-NOT-MEASURED", title="Objective not measured in its last period", refs=("6.2", "9.1"),
      severity=MINOR, phase=Phase.EVALUATION)
def objective_not_measured(facts: Facts) -> Iterator[Hit]:
    for o in facts.objectives:
        if o.overdue:
            yield Hit(f"The objective “{o.title}” has not been measured in its last "
                      f"{o.get_frequency_display().lower()} period.",
                      "Record the latest measurement against its target.",
                      facts.url("objectives:detail", o.pk),
                      Subject("objective", str(o.pk), o.title))


@rule("OBJ-OFF-TRACK", title="Objective off track", refs=("6.2",), severity=OBSERVATION,
      phase=Phase.EVALUATION)
def objective_off_track(facts: Facts) -> Iterator[Hit]:
    for o in facts.objectives:
        if o.track == "off_track":
            yield Hit(f"The objective “{o.title}” is off track: the latest measurement misses "
                      "its target.",
                      "Decide what will bring it back on track (an action, an improvement) or "
                      "revise the target with a reason.",
                      facts.url("objectives:detail", o.pk),
                      Subject("objective", str(o.pk), o.title))
