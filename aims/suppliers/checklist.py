"""The AI-specific due-diligence checklist, in our own words.

Each question says what we want to know about a party and why it matters. Customers get the
questions that concern what they do with AI we provide; suppliers and partners get them all.
Keys are stored with the answers: never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass

from aims.suppliers.kinds import PartyKind

ALL_KINDS = frozenset(PartyKind.values)
SUPPLY_SIDE = frozenset({PartyKind.SUPPLIER, PartyKind.PARTNER})


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str
    question: str  # asked of suppliers and partners
    why: str
    kinds: frozenset[str] = SUPPLY_SIDE
    customer_question: str = ""  # asked of customers instead, when the item applies to them

    def question_for(self, kind: str) -> str:
        return self.customer_question if kind == PartyKind.CUSTOMER and self.customer_question \
            else self.question


ITEMS: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        key="lineage", title="Model lineage and versioning",
        question="Do we know which model or models sit behind what they supply, what each was "
                 "built from (base model, fine-tuning, third-party components), and how "
                 "versions are named so we can tell which one produced a given output?",
        why="Without it we cannot tell whether a change in behaviour comes from a new model, "
            "or reproduce what a system did on a given day."),
    ChecklistItem(
        key="training_data", title="Training-data provenance and rights",
        question="Can they describe the data the model was trained or tuned on, where it came "
                 "from, and show they had the right to use it that way (licences, consent, "
                 "personal-data basis, copyright)?",
        why="Unknown or unlawfully sourced data becomes our legal and fairness problem once "
            "the model's outputs affect our customers."),
    ChecklistItem(
        key="evaluation", title="Evaluation and testing results",
        question="Have they shared results of testing for accuracy, robustness, bias and "
                 "misuse that are relevant to how we use it, with the method, the date and "
                 "the version tested?",
        why="Marketing claims are not evidence; we need results for the version we run, on "
            "conditions close to ours."),
    ChecklistItem(
        key="intended_use", title="Intended use and known limitations",
        question="Is it written down what the product or data is meant for, which uses they "
                 "rule out, and where it is known to work less well (groups of people, "
                 "languages, kinds of input)?",
        customer_question="Have we told the customer what our AI system is meant for, which "
                          "uses we rule out and where it works less well, and have they "
                          "agreed to stay within those limits?",
        why="Using AI outside what it was designed and tested for is a frequent cause of harm "
            "and of disputes over who is liable.",
        kinds=ALL_KINDS),
    ChecklistItem(
        key="incidents", title="Incident notification and support",
        question="Will they tell us, within an agreed time, about incidents, security "
                 "breaches, serious errors or changes in how the model behaves, and is there "
                 "a support channel with committed response times?",
        customer_question="Is it agreed how and how fast the customer tells us about "
                          "incidents, complaints or unexpected outputs, and how fast we tell "
                          "them about ours?",
        why="We can only handle an AI incident and meet our own reporting duties if we hear "
            "about it in time.",
        kinds=ALL_KINDS),
    ChecklistItem(
        key="contract", title="Contract clauses",
        question="Does the contract give us audit or assurance rights, advance notice of "
                 "material changes (model replacement, deprecation, new sub-processors), "
                 "limits on their use of our data (no training on our inputs unless agreed) "
                 "and workable exit terms?",
        customer_question="Does the contract with the customer set out the permitted use, "
                          "the split of responsibilities, liability, and what happens to data "
                          "and outputs when it ends?",
        why="What is not in the contract cannot be enforced when the relationship is under "
            "strain.",
        kinds=ALL_KINDS),
    ChecklistItem(
        key="data_location", title="Data location and transfers",
        question="Do we know where our data is stored and processed, to which countries it "
                 "may be transferred and on what legal basis, and how long it is kept?",
        customer_question="Do we know what data the customer sends us and receives back, "
                          "where it is processed, and on what basis it crosses borders?",
        why="Transfers and retention drive privacy obligations and supervisory expectations, "
            "especially for personal data.",
        kinds=ALL_KINDS),
    ChecklistItem(
        key="security", title="Security assurance",
        question="Do they hold current independent security attestations (for example an "
                 "ISO/IEC 27001 certificate or a SOC 2 Type II report) whose scope covers the "
                 "service we use, and have we read the scope and any exceptions?",
        why="An attestation that does not cover the service we buy, or that carries "
            "exceptions, gives less comfort than it seems."),
    ChecklistItem(
        key="subprocessors", title="Sub-processors and upstream suppliers",
        question="Do they list the third parties they rely on for this service (hosting, "
                 "model providers, data labellers) and tell us before adding or replacing one?",
        why="Many AI products are thin layers over someone else's model; the real risk may "
            "sit one step further up the chain."),
    ChecklistItem(
        key="oversight", title="Oversight and transparency support",
        question="Does the product give us what we need to oversee it and explain its "
                 "outputs: logs, explanations or confidence, the ability to override or "
                 "switch it off?",
        why="Our human-oversight and transparency commitments fail if the product gives "
            "people nothing to act on."),
    ChecklistItem(
        key="regulatory", title="Regulatory commitments",
        question="Where the law places duties on them (for example as provider of a high-risk "
                 "AI system or of a general-purpose model under the EU AI Act), do they "
                 "confirm they meet them and give us the documentation we need for our own?",
        why="As deployer we depend on the provider's documentation to meet our own "
            "obligations."),
)

BY_KEY = {item.key: item for item in ITEMS}


def items_for(kind: str) -> list[ChecklistItem]:
    """The questions that apply to a party of `kind`, in checklist order."""
    return [item for item in ITEMS if kind in item.kinds]


def item_title(key: str) -> str:
    item = BY_KEY.get(key)
    return item.title if item else key
