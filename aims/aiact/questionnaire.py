"""The EU AI Act classification questionnaire, as data.

Each question carries the article it asks about and a link to the Regulation on EUR-Lex. The
wording is our own: it explains what to look at, it does not quote the Regulation. Which
questions are asked, and in which order, follows from earlier answers: that is the legal path
`aims.aiact.engine` walks. To reword a question or add a choice, change this file: the engine
holds no question text.
"""

from __future__ import annotations

from dataclasses import dataclass

EURLEX = "https://eur-lex.europa.eu/eli/reg/2024/1689/oj"

YES_NO = (("yes", "Yes"), ("no", "No"))


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    article: str
    help: str = ""
    kind: str = "one"  # one: a single choice; many: any number of choices (none is an answer)
    choices: tuple[tuple[str, str], ...] = YES_NO
    section: str = ""  # the step of the walk it belongs to, as the page heads it

    @property
    def link(self) -> str:
        return EURLEX

    def label(self, value: str) -> str:
        return dict(self.choices).get(value, value)


PROHIBITED_PRACTICES = (
    ("5_1_a", "Art. 5(1)(a): steers people's behaviour with hidden, manipulative or deceptive "
              "techniques in a way that can seriously harm them"),
    ("5_1_b", "Art. 5(1)(b): takes advantage of people's age, disability or social or economic "
              "situation in a way that can seriously harm them"),
    ("5_1_c", "Art. 5(1)(c): scores people on their social behaviour or personality, leading to "
              "unfair treatment"),
    ("5_1_d", "Art. 5(1)(d): predicts whether a person will commit a crime from a profile or "
              "personality traits"),
    ("5_1_e", "Art. 5(1)(e): builds or enlarges a face-recognition database by scraping images "
              "from the internet or camera footage without a target"),
    ("5_1_f", "Art. 5(1)(f): recognises the emotions of people at work or in education"),
    ("5_1_g", "Art. 5(1)(g): sorts people by their biometric data to infer race, politics, union "
              "membership, religion, sex life or sexual orientation"),
    ("5_1_h", "Art. 5(1)(h): identifies people remotely and in real time in public spaces for "
              "law enforcement"),
    ("5_omnibus", "Art. 5, Digital Omnibus addition: generates sexual images of real, identifiable "
                  "people without their consent, or child sexual abuse material"),
)

ANNEX_I = (
    ("none", "None of these"),
    ("1", "1 Machinery"), ("2", "2 Toys"), ("3", "3 Recreational craft and personal watercraft"),
    ("4", "4 Lifts"), ("5", "5 Equipment for explosive atmospheres"), ("6", "6 Radio equipment"),
    ("7", "7 Pressure equipment"), ("8", "8 Cableway installations"),
    ("9", "9 Personal protective equipment"), ("10", "10 Appliances burning gaseous fuels"),
    ("11", "11 Medical devices"), ("12", "12 In vitro diagnostic medical devices"),
    ("13", "13 Civil aviation security"), ("14", "14 Two- or three-wheel vehicles and quadricycles"),
    ("15", "15 Agricultural and forestry vehicles"), ("16", "16 Marine equipment"),
    ("17", "17 Rail system interoperability"), ("18", "18 Motor vehicles and trailers"),
    ("19", "19 General safety of motor vehicles"), ("20", "20 Civil aviation"),
)

ANNEX_III = (
    ("1a", "1(a) Identifying people remotely by their biometric data (not just confirming a "
           "claimed identity)"),
    ("1b", "1(b) Sorting people by sensitive traits inferred from biometric data"),
    ("1c", "1(c) Recognising emotions"),
    ("2a", "2(a) A safety part of critical digital infrastructure, road traffic, or water, gas, "
           "heating or electricity supply"),
    ("3a", "3(a) Deciding who gets into, or where people go in, education or training"),
    ("3b", "3(b) Grading learning outcomes or steering how people learn"),
    ("3c", "3(c) Judging the level of education a person should receive"),
    ("3d", "3(d) Watching students for cheating during tests"),
    ("4a", "4(a) Recruiting: placing job ads, sifting applications, rating candidates"),
    ("4b", "4(b) Decisions on promotion, dismissal, work terms or task allocation, or monitoring "
           "and rating workers"),
    ("5a", "5(a) A public body deciding who gets public benefits or services, including "
           "healthcare"),
    ("5b", "5(b) Judging the creditworthiness or credit score of individuals (fraud detection "
           "is not this)"),
    ("5c", "5(c) Risk assessment and pricing for individuals' life or health insurance"),
    ("5d", "5(d) Sorting emergency calls, dispatching first responders, or emergency patient "
           "triage"),
    ("6a", "6(a) Law enforcement: the risk that someone becomes a victim of crime"),
    ("6b", "6(b) Law enforcement: polygraphs and similar tools"),
    ("6c", "6(c) Law enforcement: judging how reliable evidence is"),
    ("6d", "6(d) Law enforcement: the risk of someone offending or re-offending"),
    ("6e", "6(e) Law enforcement: profiling people while detecting or investigating crime"),
    ("7a", "7(a) Migration and borders: polygraphs and similar tools"),
    ("7b", "7(b) Migration and borders: judging the security, migration or health risk a person "
           "poses"),
    ("7c", "7(c) Migration and borders: examining asylum, visa or residence applications"),
    ("7d", "7(d) Migration and borders: detecting or identifying people (not checking travel "
           "documents)"),
    ("8a", "8(a) Helping a court or arbitrator research or apply facts and law"),
    ("8b", "8(b) Influencing how people vote or the outcome of an election or referendum"),
)

DEROGATIONS = (
    ("none", "None of these"),
    ("a", "Art. 6(3)(a): it only does a narrow procedural task"),
    ("b", "Art. 6(3)(b): it only improves the result of work a person has already finished"),
    ("c", "Art. 6(3)(c): it only spots patterns or departures from earlier decisions, and a "
          "person reviews before anything changes"),
    ("d", "Art. 6(3)(d): it only prepares material for an assessment a person then makes"),
)

TRANSPARENCY = (
    ("50_1", "Art. 50(1): people talk or type to it directly (a chatbot, a voice assistant)"),
    ("50_2", "Art. 50(2): it generates synthetic text, images, audio or video"),
    ("50_3", "Art. 50(3): it recognises emotions or sorts people by biometric data"),
    ("50_4_deepfake", "Art. 50(4): it makes images, audio or video that look like real people, "
                      "places or events (deep fakes)"),
    ("50_4_text", "Art. 50(4): it writes or alters text published to inform the public on "
                  "matters of public interest"),
)

SYSTEMIC = (
    ("no", "Neither"),
    ("compute", "Trained with more than 10^25 floating-point operations (Art. 51(2))"),
    ("designated", "Designated by the Commission as a model with systemic risk (Art. 51(1)(b))"),
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        "ai_system", article="Art. 3(1)", section="Is it an AI system?",
        text="Does it work out from the data it receives how to produce predictions, content, "
             "recommendations or decisions, with some degree of autonomy?",
        help="Answer no for software that only follows rules people wrote by hand (a fixed "
             "spreadsheet formula, a rules engine). Machine-learned models and systems built on "
             "them are AI systems."),
    Question(
        "gpai_model", article="Art. 3(63)", section="Is it an AI system?",
        text="Do you place on the market a general-purpose AI model — one trained on broad data "
             "that can do many different tasks and that others build systems on?",
        help="Answer yes only when your organisation is the provider of such a model (you "
             "trained it, or had it trained, and release it under your name). Using someone "
             "else's model through an API is a no."),
    Question(
        "exclusion", article="Art. 2", section="Is it in scope?",
        text="Does one of these exclusions cover the system?",
        choices=(("none", "None of these"),
                 ("defence", "Art. 2(3): used only for military, defence or national security"),
                 ("research", "Art. 2(6): developed and used only for scientific research"),
                 ("testing", "Art. 2(8): research or testing before it is placed on the market "
                             "or put into service (no testing in real-world conditions)"),
                 ("personal", "Art. 2(10): used by individuals for purely personal, "
                              "non-professional activity"))),
    Question(
        "prohibited", article="Art. 5", kind="many", section="Is it a prohibited practice?",
        text="Does the system do any of these? Tick all that apply; leave all unticked if none "
             "does.",
        choices=PROHIBITED_PRACTICES),
    Question(
        "crime_prediction_facts", article="Art. 5(1)(d)", section="Is it a prohibited practice?",
        text="Does it only support a person's assessment that already rests on objective, "
             "checkable facts linked to a criminal activity?",),
    Question(
        "emotion_medical_safety", article="Art. 5(1)(f)", section="Is it a prohibited practice?",
        text="Is the emotion recognition there only for medical or safety reasons (for example "
             "detecting driver fatigue)?",),
    Question(
        "biometric_labelling", article="Art. 5(1)(g)", section="Is it a prohibited practice?",
        text="Does it only label or filter biometric data sets that were lawfully acquired, or "
             "categorise biometric data for law enforcement?",),
    Question(
        "rbi_authorised", article="Art. 5(1)(h), 5(2)–(7)", section="Is it a prohibited practice?",
        text="Is each use strictly necessary for one of the permitted aims (searching for "
             "specific victims or missing persons, preventing an imminent threat to life or a "
             "terrorist attack, locating suspects of serious crimes) and authorised beforehand "
             "by a judicial or independent authority?",),
    Question(
        "annex_i", article="Art. 6(1), Annex I", section="Is it high-risk through a product?",
        text="Is the system a product, or a safety component of a product, covered by one of "
             "these EU product laws?",
        choices=ANNEX_I),
    Question(
        "third_party_assessment", article="Art. 6(1)(b)", section="Is it high-risk through a product?",
        text="Must that product pass a conformity assessment by an independent body (a notified "
             "body) before it can be sold or used?",
        help="Products whose makers may certify them alone answer no."),
    Question(
        "annex_iii", article="Art. 6(2), Annex III", kind="many",
        section="Is it high-risk through its use?",
        text="Is the system meant to be used for any of these? Tick all that apply; leave all "
             "unticked if none does.",
        choices=ANNEX_III),
    Question(
        "profiling", article="Art. 6(3), last subparagraph", section="Is it high-risk through its use?",
        text="Does it profile people — evaluate or predict aspects of a person such as work "
             "performance, economic situation, health, preferences, behaviour or location from "
             "their personal data?"),
    Question(
        "derogation", article="Art. 6(3)", section="Is it high-risk through its use?",
        text="Does one of these describe all that the system does in that use?", choices=DEROGATIONS),
    Question(
        "no_significant_risk", article="Art. 6(3), 6(4)", section="Is it high-risk through its use?",
        text="Have you assessed and written down that it poses no significant risk to people's "
             "health, safety or fundamental rights and does not materially change the outcome "
             "of decisions?",
        help="The written assessment must exist before the system is placed on the market or "
             "put into service, and the system must still be registered in the EU database."),
    Question(
        "becomes_provider", article="Art. 25(1)", section="Who is the provider?",
        text="Do you put your name or trademark on it, modify it substantially, or use it for a "
             "high-risk purpose its provider did not intend?",
        help="Any of these makes your organisation a provider of the high-risk system, with the "
             "provider's obligations, even if you bought it."),
    Question(
        "public_service", article="Art. 27(1)", section="Who is the provider?",
        text="Does your organisation use the system itself as a public body, or as a private "
             "organisation that provides a public service (such as education, healthcare, "
             "social services, housing or justice)?",
        help="Answer no if your organisation only provides the system and does not use it. A "
             "user of this kind must assess the system's impact on fundamental rights before "
             "first using it, and tell the market surveillance authority the result."),
    Question(
        "transparency", article="Art. 50", kind="many", section="Which transparency duties apply?",
        text="Which of these describe the system? Tick all that apply; leave all unticked if "
             "none does.",
        choices=TRANSPARENCY),
    Question(
        "generative_before_aug_2026", article="Art. 50(2), Digital Omnibus",
        section="Which transparency duties apply?",
        text="Was the generative system placed on the market or put into service before 2 "
             "August 2026?",
        help="Such systems have a grace period for marking their outputs.",),
    Question(
        "gpai_systemic", article="Art. 51", section="General-purpose AI model",
        text="Does the model carry systemic risk on either of these grounds?", choices=SYSTEMIC),
    Question(
        "gpai_before_aug_2025", article="Art. 111(3)", section="General-purpose AI model",
        text="Was the model placed on the market before 2 August 2025?",),
    Question(
        "gpai_open_source", article="Art. 53(2)", section="General-purpose AI model",
        text="Is the model released under a free and open-source licence with its weights and "
             "architecture public?",),
)

BY_ID = {q.id: q for q in QUESTIONS}
