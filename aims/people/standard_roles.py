"""The standard AIMS roles aims offers to add, described in our own words.

Codes are stable identifiers other apps look roles up by (management reviews ask who holds
`top_management`, audits who holds `internal_auditor`): never rename one."""

from __future__ import annotations

TOP_MANAGEMENT = "top_management"
GOVERNANCE_OWNER = "governance_owner"
RISK_OWNER = "risk_owner"
DATA_STEWARD = "data_steward"
SYSTEM_OWNER = "system_owner"
INTERNAL_AUDITOR = "internal_auditor"

# code: (name, responsibilities, authorities, areas, ISO/IEC 42001 refs covered)
STANDARD_ROLES: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    TOP_MANAGEMENT: (
        "Top management",
        "Sets the direction for how the organisation uses AI and signs the AI policy.\n"
        "Makes sure the AIMS has the people, budget and tools it needs.\n"
        "Chairs the management review and acts on its conclusions.\n"
        "Decides how much AI risk the organisation is prepared to carry.",
        "Approves the AI policy, the AIMS scope and the risk appetite; accepts residual risks "
        "above the level others may accept.",
        "The AIMS as a whole; leadership and commitment.",
        ("5.1", "5.2", "9.3", "A.2.1"),
    ),
    GOVERNANCE_OWNER: (
        "AI governance owner",
        "Runs the AIMS day to day and keeps its records complete and current.\n"
        "Keeps the Statement of Applicability, the policies and the procedures up to date.\n"
        "Reports on how the AIMS performs to top management.\n"
        "Coordinates internal audits, management reviews and corrective actions.",
        "Approves procedures and templates; assigns owners to controls and actions; "
        "escalates unresolved issues to top management.",
        "AIMS operation, documentation, SoA, performance reporting.",
        ("5.3", "6.1.3", "7.5", "9.1", "10.2", "A.3.1"),
    ),
    RISK_OWNER: (
        "AI risk owner",
        "Keeps the AI risk register: identifies, analyses and evaluates risks of AI systems.\n"
        "Chooses and follows up treatment actions with their owners.\n"
        "Makes sure impact assessments feed into risk decisions.",
        "Accepts residual risks within the agreed appetite; asks for a system to be paused "
        "while a serious risk is treated.",
        "AI risk assessment and treatment; impact assessment.",
        ("6.1.2", "6.1.3", "6.1.4", "8.2", "8.3", "8.4"),
    ),
    DATA_STEWARD: (
        "Data steward",
        "Knows where the data used by AI systems comes from and how good it is.\n"
        "Keeps data provenance, quality checks and retention on record.\n"
        "Checks that data is used only for the purposes it was obtained for.",
        "Approves new data sources for training and operation; stops the use of data that "
        "fails quality or legal checks.",
        "Data for AI systems: acquisition, quality, provenance, preparation.",
        ("A.7.1",),
    ),
    SYSTEM_OWNER: (
        "AI system owner",
        "Answers for an AI system through its life: purpose, design, testing, deployment, "
        "monitoring and retirement.\n"
        "Keeps the system's inventory entry, change log and technical documentation current.\n"
        "Makes sure the system is not deployed until its impact assessment and risk review "
        "are current.",
        "Decides on changes and releases of the system within the approved scope; asks for "
        "deployment approval.",
        "The AI systems assigned to the role, end to end.",
        ("A.6.1.1", "A.6.2.1", "A.8.1", "A.9.1"),
    ),
    INTERNAL_AUDITOR: (
        "Internal auditor",
        "Plans and carries out internal audits of the AIMS.\n"
        "Reports findings with the evidence behind them and follows up corrective actions.\n"
        "Stays independent of the areas and systems they audit.",
        "Reads every AIMS record and asks any member for evidence; raises nonconformities.",
        "Internal audit of the AIMS.",
        ("9.2",),
    ),
}
