"""The demo's AI systems classified through the EU AI Act questionnaire, as their owners would
answer it: the credit engine and the CV screening assistant come out high-risk (Annex III 5(b)
and 4(a)), the chatbot limited (Art. 50(1)), the rest minimal. The collections model, still in
validation, is left for its owner to classify, so the dashboard has something to ask."""

from __future__ import annotations

from aims.aiact.services import classification_save
from aims.demo import MemberCtx
from aims.inventory.selectors import ai_system_list

PLAIN = {"ai_system": "yes", "gpai_model": "no", "exclusion": "none", "prohibited": [],
         "annex_i": "none", "annex_iii": [], "transparency": []}

ANSWERS = {
    "Credit decision engine": {**PLAIN, "annex_iii": ["5b"], "profiling": "yes",
                               "becomes_provider": "no"},
    "CV screening assistant": {**PLAIN, "annex_iii": ["4a"], "profiling": "yes",
                               "becomes_provider": "no", "public_service": "no"},
    "Customer service chatbot": {**PLAIN, "transparency": ["50_1"]},
    "Card fraud detection": PLAIN,
    "Developer coding assistant": PLAIN,
    "E-mail spam filter": PLAIN,
}


def build(*, ctxs: dict[str, MemberCtx]) -> None:
    editor = ctxs["editor"]
    systems = {s.name: s for s in ai_system_list(ctx=editor)}
    for name, answers in ANSWERS.items():
        classification_save(ctx=editor, system_id=systems[name].pk, answers=answers, version=0)
