"""The classifier walks every branch of the legal path (pure: no database)."""

from __future__ import annotations

import pytest

from aims.aiact.engine import classify, evaluate
from aims.aiact.questionnaire import QUESTIONS

# The answers of a plain AI system in scope with nothing special: the base every case edits.
BASE = {"ai_system": "yes", "gpai_model": "no", "exclusion": "none", "prohibited": [],
        "annex_i": "none", "annex_iii": [], "transparency": [], "public_service": "no"}


def case(**changes):
    return {**BASE, **changes}


CASES = [
    # (name, answers, class, facts expected to hold, articles expected in the trace)
    ("spam filter", case(), "minimal", {}, ["Art. 3(1)", "Art. 2", "Art. 4", "Art. 5"]),
    ("rules engine is not AI", {"ai_system": "no", "gpai_model": "no"}, "out_of_scope",
     {"ai_system": False}, ["Art. 3(1)"]),
    ("military use", case(exclusion="defence"), "out_of_scope", {}, ["Art. 2"]),
    ("research only", case(exclusion="research"), "out_of_scope", {}, ["Art. 2"]),
    ("pre-market testing", case(exclusion="testing"), "out_of_scope", {}, ["Art. 2"]),
    ("personal use", case(exclusion="personal"), "out_of_scope", {}, ["Art. 2"]),
    ("manipulation", case(prohibited=["5_1_a"]), "prohibited", {"prohibited": ["5_1_a"]},
     ["Art. 5"]),
    ("social scoring", case(prohibited=["5_1_c"]), "prohibited", {}, ["Art. 5"]),
    ("emotion recognition at work", case(prohibited=["5_1_f"], emotion_medical_safety="no"),
     "prohibited", {"prohibited": ["5_1_f"]}, ["Art. 5(1)(f)"]),
    ("driver fatigue: emotion recognition for safety is high-risk, not prohibited",
     case(prohibited=["5_1_f"], emotion_medical_safety="yes", profiling="no",
          derogation="none", becomes_provider="no"),
     "high", {"annex_iii": ["1c"], "route": "annex_iii"}, ["Art. 5(1)(f)", "Art. 6(2), Annex III"]),
    ("crime prediction by profile", case(prohibited=["5_1_d"], crime_prediction_facts="no"),
     "prohibited", {}, ["Art. 5(1)(d)"]),
    ("crime risk on objective facts is not prohibited",
     case(prohibited=["5_1_d"], crime_prediction_facts="yes", annex_iii=["6d"], profiling="yes",
          becomes_provider="no"), "high", {"annex_iii": ["6d"]}, ["Art. 5(1)(d)"]),
    ("biometric categorisation by sensitive traits",
     case(prohibited=["5_1_g"], biometric_labelling="no"), "prohibited", {}, ["Art. 5(1)(g)"]),
    ("real-time RBI, authorised: high-risk under Annex III 1(a)",
     case(prohibited=["5_1_h"], rbi_authorised="yes", profiling="yes", becomes_provider="no"),
     "high", {"annex_iii": ["1a"]}, ["Art. 5(1)(h), 5(2)–(7)"]),
    ("nudification app (Omnibus)", case(prohibited=["5_omnibus"]), "prohibited",
     {"omnibus_only": True}, ["Art. 5"]),
    ("medical device with notified body", case(annex_i="11", third_party_assessment="yes",
                                               becomes_provider="no"),
     "high", {"route": "annex_i", "annex_i": "11"}, ["Art. 6(1), Annex I", "Art. 6(1)(b)"]),
    ("toy self-certified", case(annex_i="2", third_party_assessment="no"), "minimal",
     {"route": ""}, ["Art. 6(1)(b)"]),
    ("product route and Annex III: the earlier Annex III date governs",
     case(annex_i="11", third_party_assessment="yes", annex_iii=["5d"], becomes_provider="no"),
     "high", {"route": "annex_iii"}, ["Art. 6(2), Annex III"]),
    ("CV screening", case(annex_iii=["4a"], profiling="yes", becomes_provider="no"), "high",
     {"annex_iii": ["4a"], "route": "annex_iii"}, ["Art. 6(3), last subparagraph"]),
    ("bank credit scoring", case(annex_iii=["5b"], profiling="yes", becomes_provider="no"),
     "high", {"annex_iii": ["5b"]}, ["Art. 6(2), Annex III"]),
    ("exam proctoring without derogation",
     case(annex_iii=["3d"], profiling="no", derogation="none", becomes_provider="no"),
     "high", {}, ["Art. 6(3)"]),
    ("narrow procedural task: Art. 6(3) with registration",
     case(annex_iii=["4a"], profiling="no", derogation="a", no_significant_risk="yes"),
     "minimal", {"registration_6_3": True, "derogation": "a"}, ["Art. 6(3), 6(4)"]),
    ("derogation claimed without a documented assessment",
     case(annex_iii=["5a"], profiling="no", derogation="d", no_significant_risk="no",
          becomes_provider="yes"),
     "high", {"becomes_provider": True, "registration_6_3": False}, ["Art. 25(1)"]),
    ("Art. 6(3) derogation with a chatbot: limited",
     case(annex_iii=["8a"], profiling="no", derogation="c", no_significant_risk="yes",
          transparency=["50_1"]), "limited", {"registration_6_3": True}, ["Art. 50"]),
    ("customer chatbot", case(transparency=["50_1"]), "limited", {"transparency": ["50_1"]},
     ["Art. 50"]),
    ("image generator already on the market",
     case(transparency=["50_2"], generative_before_aug_2026="yes"), "limited",
     {"generative_legacy": True}, ["Art. 50(2), Digital Omnibus"]),
    ("new image generator", case(transparency=["50_2"], generative_before_aug_2026="no"),
     "limited", {"generative_legacy": False}, ["Art. 50(2), Digital Omnibus"]),
    ("deep fakes and public-interest text", case(transparency=["50_4_deepfake", "50_4_text"]),
     "limited", {"transparency": ["50_4_deepfake", "50_4_text"]}, ["Art. 50"]),
    ("high-risk chatbot stays high with Art. 50 on top",
     case(annex_iii=["5d"], profiling="no", derogation="none", becomes_provider="no",
          transparency=["50_1"]), "high", {"transparency": ["50_1"]}, ["Art. 50"]),
    ("GPAI model with systemic risk, placed before Aug 2025",
     case(gpai_model="yes", gpai_systemic="compute", gpai_before_aug_2025="yes",
          gpai_open_source="no", transparency=["50_2"], generative_before_aug_2026="yes"),
     "limited", {"gpai_systemic": True, "gpai_legacy": True}, ["Art. 51", "Art. 111(3)"]),
    ("open-source GPAI model alone (not a system)",
     {"ai_system": "no", "gpai_model": "yes", "gpai_systemic": "no",
      "gpai_before_aug_2025": "no", "gpai_open_source": "yes"},
     "minimal", {"gpai_model": True, "gpai_open_source": True}, ["Art. 53(2)"]),
    ("designated GPAI model inside a minimal system",
     case(gpai_model="yes", gpai_systemic="designated", gpai_before_aug_2025="no",
          gpai_open_source="yes"), "minimal", {"gpai_systemic": True}, ["Art. 51"]),
]


@pytest.mark.parametrize(("name", "answers", "cls", "facts", "articles"), CASES,
                         ids=[c[0] for c in CASES])
def test_classifier_case(name, answers, cls, facts, articles):
    result = classify(answers)
    assert result.cls == cls
    for key, value in facts.items():
        assert result.facts[key] == value, key
    trace_articles = [s["article"] for s in result.trace]
    for article in articles:
        assert article in trace_articles, (article, trace_articles)
    # Every step says what it asked (or that none was asked), the answer, and the outcome.
    for s in result.trace:
        assert s["outcome"] and s["article"]
        assert bool(s["question"]) == bool(s["question_id"])
    assert result.trace[-1]["step"] == "Result" or cls == "out_of_scope"


def test_there_are_at_least_25_cases_and_they_reach_every_question():
    assert len(CASES) >= 25
    reached = {qid for _, answers, *_ in CASES for qid in evaluate(answers).asked}
    assert reached == {q.id for q in QUESTIONS}


def test_every_class_is_reached():
    assert {c[2] for c in CASES} == {"out_of_scope", "prohibited", "high", "limited", "minimal"}


def test_the_walk_stops_at_the_first_open_question_and_shows_only_what_it_needs():
    ev = evaluate({"ai_system": "yes"})
    assert ev.asked == ["ai_system", "gpai_model"] and ev.pending == "gpai_model"
    assert ev.result is None
    ev = evaluate(case(prohibited=["5_1_a"]))
    assert "annex_i" not in ev.asked  # prohibited settles it: no product or Annex III questions
    ev = evaluate(case(annex_iii=["4a"]))
    assert ev.pending == "profiling"
    ev = evaluate(case(annex_iii=["4a"], profiling="yes"))
    assert "derogation" not in ev.asked and ev.pending == "becomes_provider"


def test_invalid_answers_are_named():
    ev = evaluate(case(exclusion="maybe"))
    assert ev.errors == {"exclusion": "Choose one of: none, defence, research, testing, personal."}
    ev = evaluate(case(prohibited="5_1_a"))
    assert "prohibited" in ev.errors
    ev = evaluate(case(annex_iii=["9z"]))
    assert "9z" in ev.errors["annex_iii"]
    ev = evaluate(case(transparency=["50_1", "50_1"]))
    assert ev.errors["transparency"] == "List each choice once."


def test_questions_are_our_own_words_with_an_article_and_a_link():
    for q in QUESTIONS:
        assert q.text and q.article and q.link.startswith("https://eur-lex.europa.eu/")
        assert q.section


def test_a_public_user_of_an_annex_iii_system_is_asked_and_owes_a_fria():
    """Art. 27: the public-service question comes after the provider question, only for
    high-risk Annex III uses outside area 2 and not for 5(b) / 5(c), where every user owes
    one."""
    open_cv = {k: v for k, v in case(annex_iii=["4a"], profiling="yes",
                                     becomes_provider="no").items() if k != "public_service"}
    assert evaluate(open_cv).pending == "public_service"
    public = classify({**open_cv, "public_service": "yes"})
    assert public.facts["public_service"] is True
    assert public.trace[-3]["article"] == "Art. 27(1)"
    credit = evaluate({**open_cv, "annex_iii": ["5b"]})
    assert credit.complete and "public_service" not in credit.asked
    infra = evaluate({**open_cv, "annex_iii": ["2a"]})
    assert infra.complete and "public_service" not in infra.asked
