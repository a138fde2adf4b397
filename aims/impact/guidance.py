"""What a good answer covers, per section of an impact assessment: aims's own words, shown next
to the form, on the assessment page and in the printed copy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    field: str
    title: str
    question: str
    covers: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "intended_purpose", "Intended purpose",
        "What is the system for, and what do people do with its output?",
        ("The task it performs and the output it produces (a score, a ranking, a text, a "
         "decision).",
         "The decisions that rely on the output, and whether a person takes them or the "
         "system does.",
         "What it is explicitly not meant to be used for.")),
    Section(
        "context_of_use", "Context of use",
        "Where, by whom and under what conditions is it used?",
        ("Who operates it and who receives its results; channels, markets and languages.",
         "The volume of cases and how quickly outputs take effect.",
         "How people oversee it: who reviews, overrides or stops it, and when.",
         "Dependencies on data feeds, suppliers or other systems.")),
    Section(
        "foreseeable_misuse", "Reasonably foreseeable misuse",
        "How could people plausibly use it beyond or against its purpose?",
        ("Uses outside the purpose that staff or customers could slip into (for example "
         "treating a recommendation as a final decision).",
         "Deliberate abuse: gaming the inputs, extracting data, provoking harmful output.",
         "What would make such misuse more likely, and what already discourages it.")),
    Section(
        "affected_individuals", "Affected individuals",
        "Who does the system affect directly, and how?",
        ("Everyone its outputs reach: customers, applicants, staff, bystanders.",
         "What is at stake for each: money, access to a service, a job, safety, reputation.",
         "How a person learns that the system was involved and how they can challenge the "
         "outcome.")),
    Section(
        "affected_groups", "Affected groups",
        "Could some groups be affected differently from others?",
        ("Groups protected by equality law, and others at a disadvantage (for example people "
         "with thin credit files, older customers, non-native speakers).",
         "Evidence for or against unequal outcomes: test results, complaint patterns, "
         "monitoring data.",
         "Groups missing from the data the system learnt from.")),
    Section(
        "societal_effects", "Effects on society",
        "What wider effects could the system have beyond the people it touches?",
        ("Effects on trust, access to essential services, the labour market or competition.",
         "Environmental cost of training and running it, where material.",
         "What would change if every comparable organisation used such a system.")),
    Section(
        "conclusion", "Conclusion",
        "Is the impact that remains acceptable, and under which conditions?",
        ("A clear judgement an approver can sign: acceptable, acceptable with conditions, or "
         "not acceptable.",
         "The conditions and follow-up actions, with the risks raised for them.",
         "What would make you redo this assessment before its due date.")),
)

BY_FIELD = {s.field: s for s in SECTIONS}

IMPACT_GUIDANCE = (
    "List each foreseeable effect separately, good or bad. Rate severity and likelihood as "
    "things stand before mitigations, then say what reduces the impact and rate what is left. "
    "Raise a risk from any negative impact that needs treatment, so it is tracked in the risk "
    "register.")

SEVERITY_HELP = {
    1: "A passing inconvenience, easily put right.",
    2: "Noticeable harm that people recover from quickly and fully.",
    3: "Real harm to money, opportunities or well-being that takes effort to undo.",
    4: "Serious harm to livelihoods, rights or health that is hard to undo.",
    5: "Lasting or irreparable harm to life, health, liberty or livelihood.",
}

LIKELIHOOD_HELP = {
    1: "Only in exceptional circumstances.",
    2: "Could happen, but not expected.",
    3: "Expected to happen now and then.",
    4: "Expected to happen regularly.",
    5: "Expected to happen in most cases.",
}
