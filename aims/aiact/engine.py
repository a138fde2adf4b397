"""The classifier: walks the EU AI Act's legal path over a set of answers. Pure: no database,
no dates, no request; the questions themselves are data in `aims.aiact.questionnaire`.

The walk asks one question at a time, in the order the Regulation reasons (is it an AI system,
is it excluded, is it prohibited, is it high-risk through a product or a use, does the Art.
6(3) derogation apply, which transparency duties apply, is a general-purpose AI model involved)
and stops asking once a step settles the class. `evaluate` tells which questions the answers
reach, the first one still open, any answer that is not a valid choice, and — once every
reached question is answered — the class and the trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aims.aiact.questionnaire import BY_ID, Question

CLASSES = ("out_of_scope", "prohibited", "high", "limited", "minimal")

# Carve-outs of Art. 5: a yes to the question lifts the prohibition; what remains is checked
# as high-risk through Annex III (the point it falls under, where there is one).
CARVE_OUTS = {
    "5_1_d": ("crime_prediction_facts", ""),
    "5_1_f": ("emotion_medical_safety", "1c"),
    "5_1_g": ("biometric_labelling", ""),
    "5_1_h": ("rbi_authorised", "1a"),
}
OMNIBUS_PRACTICE = "5_omnibus"


@dataclass
class Result:
    """What the walk found: the class, one trace entry per step, and the facts the obligations
    are derived from."""

    cls: str
    trace: list[dict[str, Any]]
    facts: dict[str, Any]


@dataclass
class Evaluation:
    asked: list[str] = field(default_factory=list)  # question ids the answers reach, in order
    pending: str | None = None  # the first reached question without an answer
    errors: dict[str, str] = field(default_factory=dict)  # question id -> what is wrong
    result: Result | None = None

    @property
    def complete(self) -> bool:
        return self.result is not None


class _Stop(Exception):
    pass


def _check(q: Question, value: Any) -> str:
    """What is wrong with `value` as an answer to `q` ("" when nothing)."""
    allowed = [c for c, _ in q.choices]
    if q.kind == "many":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"Give a list of choices (empty for none) from: {', '.join(allowed)}."
        if bad := [v for v in value if v not in allowed]:
            return f"Not a choice here: {', '.join(bad)}. Choose from: {', '.join(allowed)}."
        if len(set(value)) != len(value):
            return "List each choice once."
        return ""
    if value not in allowed:
        return f"Choose one of: {', '.join(allowed)}."
    return ""


class _Walk:
    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.ev = Evaluation()
        self.trace: list[dict[str, Any]] = []
        self.facts: dict[str, Any] = {
            "ai_system": False, "gpai_model": False, "prohibited": [], "omnibus_only": False,
            "route": "", "annex_i": "", "annex_iii": [], "derogation": "",
            "registration_6_3": False, "becomes_provider": False, "transparency": [],
            "generative_legacy": False, "gpai_systemic": False, "gpai_legacy": False,
            "gpai_open_source": False, "public_service": False}

    def ask(self, qid: str) -> Any:
        q = BY_ID[qid]
        self.ev.asked.append(qid)
        if qid not in self.answers or self.answers[qid] is None:
            self.ev.pending = qid
            raise _Stop
        value = self.answers[qid]
        if problem := _check(q, value):
            self.ev.errors[qid] = problem
            raise _Stop
        return value

    def step(self, qid: str | None, outcome: str, *, article: str = "", answer: Any = None,
             section: str = "") -> None:
        q = BY_ID[qid] if qid else None
        if q is not None and answer is None:
            answer = self.answers[q.id]
        if q is not None:
            shown = ([q.label(v) for v in answer] or ["None of these"]) if q.kind == "many" \
                else q.label(answer)
        else:
            shown = ""
        self.trace.append({
            "step": section or (q.section if q else ""), "question_id": qid or "",
            "question": q.text if q else "", "answer": shown,
            "article": article or (q.article if q else ""), "outcome": outcome})

    # ------------------------------------------------------------------ the legal path

    def run(self) -> str:
        is_ai = self.ask("ai_system") == "yes"
        self.facts["ai_system"] = is_ai
        self.step("ai_system", "It is an AI system as the Regulation defines one." if is_ai else
                  "It is not an AI system as the Regulation defines one.")
        is_gpai = self.ask("gpai_model") == "yes"
        self.facts["gpai_model"] = is_gpai
        self.step("gpai_model", "You provide a general-purpose AI model: the model obligations "
                  "of Chapter V are checked at the end." if is_gpai else
                  "You do not provide a general-purpose AI model.")
        if not is_ai:
            if not is_gpai:
                self.step(None, "Outside the Regulation: neither an AI system nor a "
                          "general-purpose AI model.", article="Art. 3(1), Art. 3(63)",
                          section="Result")
                return "out_of_scope"
            self._gpai()
            self.step(None, "No AI-system risk class applies to a model on its own; the model "
                      "obligations above apply.", article="Art. 51–55", section="Result")
            return "minimal"
        exclusion = self.ask("exclusion")
        if exclusion != "none":
            self.step("exclusion", "Excluded from the Regulation's scope.")
            return "out_of_scope"
        self.step("exclusion", "No exclusion applies: the system is in scope.")
        self.step(None, "Applies to every AI system in scope: staff who work with it need "
                  "sufficient AI literacy.", article="Art. 4", section="Always")
        if self._prohibited():
            return "prohibited"
        high = self._annex_i()
        high = self._annex_iii(already_high=high) or high
        if high:
            becomes = self.ask("becomes_provider") == "yes"
            self.facts["becomes_provider"] = becomes
            self.step("becomes_provider", "Your organisation takes on the provider's obligations "
                      "for this system." if becomes else
                      "Your role toward the system stays as recorded in the inventory.")
            self._public_service()
        transparency = self._transparency()
        if self.facts["gpai_model"]:
            self._gpai()
        if high:
            cls, why = "high", "High-risk: the high-risk requirements and obligations apply."
        elif transparency:
            cls, why = "limited", "Not high-risk, with transparency duties under Art. 50."
        else:
            cls, why = "minimal", "Minimal risk: no specific obligations beyond AI literacy."
        self.step(None, why, article="Art. 6, Art. 50" if cls != "minimal" else "Art. 4",
                  section="Result")
        return cls

    def _prohibited(self) -> bool:
        practices = self.ask("prohibited")
        if not practices:
            self.step("prohibited", "None of the prohibited practices applies.")
            return False
        self.step("prohibited", "One or more prohibited practices are ticked; their exceptions "
                  "are checked next." if any(p in CARVE_OUTS for p in practices) else
                  "The system carries out a prohibited practice.")
        remaining = []
        for practice in practices:
            if practice not in CARVE_OUTS:
                remaining.append(practice)
                continue
            qid, point = CARVE_OUTS[practice]
            if self.ask(qid) == "yes":
                extra = (f" It is checked below as high-risk under Annex III {point[0]}({point[1]})."
                         if point else "")
                self.step(qid, "The exception applies: this practice is not prohibited." + extra)
                if point:
                    self.facts.setdefault("forced_annex_iii", []).append(point)
            else:
                self.step(qid, "The exception does not apply: the practice is prohibited.")
                remaining.append(practice)
        if not remaining:
            return False
        self.facts["prohibited"] = remaining
        self.facts["omnibus_only"] = remaining == [OMNIBUS_PRACTICE]
        self.step(None, "Prohibited practice: the system may not be placed on the market, put "
                  "into service or used in the EU. Stop or change it.", article="Art. 5",
                  section="Result")
        return True

    def _annex_i(self) -> bool:
        product = self.ask("annex_i")
        if product == "none":
            self.step("annex_i", "Not covered by the product laws of Annex I.")
            return False
        self.facts["annex_i"] = product
        self.step("annex_i", f"Covered by Annex I (point {product}): high-risk if the product "
                  "needs a third-party conformity assessment.")
        if self.ask("third_party_assessment") == "yes":
            self.facts["route"] = "annex_i"
            self.step("third_party_assessment", "High-risk through a product under Annex I "
                      f"(point {product}) that needs a third-party conformity assessment.")
            return True
        self.step("third_party_assessment", "Not high-risk through the product route: the "
                  "product needs no third-party conformity assessment.")
        return False

    def _annex_iii(self, *, already_high: bool) -> bool:
        points = list(dict.fromkeys([*self.ask("annex_iii"),
                                     *self.facts.get("forced_annex_iii", [])]))
        self.facts["annex_iii"] = points
        if not points:
            self.step("annex_iii", "Not used for any of the Annex III purposes.", answer=points)
            return False
        listed = ", ".join(f"{p[0]}({p[1]})" for p in points)
        if already_high:
            self.step("annex_iii", f"Also an Annex III use ({listed}); already high-risk "
                      "through its product.", answer=points)
            self.facts["route"] = "annex_iii"  # the earlier of the two dates governs
            return True
        self.step("annex_iii", f"An Annex III use ({listed}): high-risk unless the Art. 6(3) "
                  "derogation applies.", answer=points)
        if self.ask("profiling") == "yes":
            self.step("profiling", "It profiles people, so the derogation cannot apply: "
                      "high-risk.")
            self.facts["route"] = "annex_iii"
            return True
        self.step("profiling", "It does not profile people.")
        derogation = self.ask("derogation")
        if derogation == "none":
            self.step("derogation", "None of the derogation conditions describes it: "
                      "high-risk.")
            self.facts["route"] = "annex_iii"
            return True
        self.step("derogation", "A derogation condition may apply.")
        if self.ask("no_significant_risk") == "yes":
            self.facts["derogation"] = derogation
            self.facts["registration_6_3"] = True
            self.step("no_significant_risk", "Not high-risk under Art. 6(3). Keep the written "
                      "assessment and register the system in the EU database before placing it "
                      "on the market or putting it into service (Art. 6(4), Art. 49(2)).")
            return False
        self.step("no_significant_risk", "Without a documented assessment the derogation "
                  "cannot be relied on: high-risk.")
        self.facts["route"] = "annex_iii"
        return True

    def _public_service(self) -> None:
        """Art. 27: a deployer that is a public body or provides a public service owes a
        fundamental rights impact assessment for an Annex III system outside area 2; for
        credit scoring and life or health insurance pricing (5(b), 5(c)) every deployer does,
        so the question is not asked there."""
        points = self.facts["annex_iii"]
        if not any(not p.startswith("2") for p in points) or {"5b", "5c"} & set(points):
            return
        public = self.ask("public_service") == "yes"
        self.facts["public_service"] = public
        self.step("public_service", "As a public body or public-service provider using it, "
                  "your organisation must assess its impact on fundamental rights before first "
                  "use." if public else
                  "No fundamental rights impact assessment is owed on this ground.")

    def _transparency(self) -> list[str]:
        cases = self.ask("transparency")
        self.facts["transparency"] = cases
        if not cases:
            self.step("transparency", "No transparency case of Art. 50 applies.", answer=cases)
            return cases
        self.step("transparency", "Transparency duties apply: tell people they deal with AI or "
                  "that content is AI-generated, as each case requires.", answer=cases)
        if "50_2" in cases:
            legacy = self.ask("generative_before_aug_2026") == "yes"
            self.facts["generative_legacy"] = legacy
            self.step("generative_before_aug_2026", "Marking its outputs is due by the end of "
                      "the grace period." if legacy else
                      "Marking its outputs is due from the general date of Art. 50.")
        return cases

    def _gpai(self) -> None:
        systemic = self.ask("gpai_systemic")
        self.facts["gpai_systemic"] = systemic != "no"
        self.step("gpai_systemic", "A model with systemic risk: the Art. 55 duties apply on top "
                  "of Art. 53 (and Art. 52: notify the Commission)." if systemic != "no" else
                  "A model without systemic risk: the Art. 53 duties apply.")
        legacy = self.ask("gpai_before_aug_2025") == "yes"
        self.facts["gpai_legacy"] = legacy
        self.step("gpai_before_aug_2025", "Already on the market: the model obligations are due "
                  "by the end of the transition (Art. 111(3))." if legacy else
                  "The model obligations apply from the date the chapter applies.")
        open_source = self.ask("gpai_open_source") == "yes"
        self.facts["gpai_open_source"] = open_source
        self.step("gpai_open_source", (
            "Open-source: exempt from the technical documentation duties (Art. 53(1)(a), (b)) "
            "unless the model carries systemic risk." if open_source else
            "Not open-source: every Art. 53 duty applies."))


def evaluate(answers: dict[str, Any]) -> Evaluation:
    """Walk `answers` along the legal path: what it reaches, what is open or wrong, and the
    result when nothing is."""
    walk = _Walk(answers if isinstance(answers, dict) else {})
    try:
        cls = walk.run()
    except _Stop:
        return walk.ev
    walk.facts.pop("forced_annex_iii", None)
    walk.ev.result = Result(cls=cls, trace=walk.trace, facts=walk.facts)
    return walk.ev


def unknown_questions(answers: dict[str, Any]) -> list[str]:
    """Answer keys that name no question."""
    return [k for k in answers if k not in BY_ID]


def classify(answers: dict[str, Any]) -> Result:
    """The result for a complete, valid set of answers; ValueError naming the questions
    otherwise (services turn the evaluation into field errors themselves)."""
    ev = evaluate(answers)
    if ev.result is None:
        raise ValueError(ev.errors or {ev.pending: "not answered"})
    return ev.result
