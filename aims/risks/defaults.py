"""The methodology every organisation starts with: 5 × 5, four bands, medium accepted freely.

The wording is aims's own; an organisation edits it to match its enterprise risk framework.
"""

from __future__ import annotations

LIKELIHOOD_SCALE = [
    {"value": 1, "label": "Rare",
     "criteria": "Not expected in the system's lifetime; would need an unusual mix of failures."},
    {"value": 2, "label": "Unlikely",
     "criteria": "Could happen, but we know of no case in systems like ours; less than once in "
                 "five years."},
    {"value": 3, "label": "Possible",
     "criteria": "Has happened in comparable systems elsewhere; about once in two to five years."},
    {"value": 4, "label": "Likely",
     "criteria": "Has happened to us or is expected within the next year or two."},
    {"value": 5, "label": "Almost certain",
     "criteria": "Happening now or expected several times a year without further action."},
]

IMPACT_SCALE = [
    {"value": 1, "label": "Negligible",
     "criteria": "A brief inconvenience to a few people; fixed in the normal course of work."},
    {"value": 2, "label": "Minor",
     "criteria": "Some people are treated wrongly or put out, but it is easily put right and "
                 "nobody is lastingly harmed."},
    {"value": 3, "label": "Moderate",
     "criteria": "Many people affected or a few affected seriously; a complaint to a regulator "
                 "or local press is plausible."},
    {"value": 4, "label": "Major",
     "criteria": "Lasting harm to people's finances, jobs or rights; regulatory action or "
                 "national press likely."},
    {"value": 5, "label": "Severe",
     "criteria": "Irreversible harm to people or groups, loss of a licence or of public trust, "
                 "or a breach of fundamental rights."},
]

BANDS = [
    {"level": "low", "min": 1, "max": 4},
    {"level": "medium", "min": 5, "max": 9},
    {"level": "high", "min": 10, "max": 15},
    {"level": "critical", "min": 16, "max": 25},
]

ACCEPTANCE_THRESHOLD = "medium"


def default_methodology_data() -> dict:
    """Fresh copies of the default scales, bands and threshold."""
    return {
        "likelihood_scale": [dict(level) for level in LIKELIHOOD_SCALE],
        "impact_scale": [dict(level) for level in IMPACT_SCALE],
        "bands": [dict(band) for band in BANDS],
        "acceptance_threshold": ACCEPTANCE_THRESHOLD,
        "change_note": "The default methodology aims starts every organisation with.",
    }
