"""Which obligations an AI system's classification puts on the organisation, by its operator
role, each dated on the EU AI Act's timeline. Pure: the rules are data
(`data/obligations.json`), the dates are data (the framework's timeline in the catalog), and
this module only matches the two against a classification."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "obligations.json"

# The AI Act's operators (Art. 3(3)–(8)), and how the inventory's roles toward a system map to
# them. ISO/IEC 42001's "AI user" uses a system under its own authority: a deployer. A
# developer, data provider, integrator or partner has no role of its own under the Act (it
# becomes a provider only by placing the system on the market under its name: Art. 25).
OPERATOR_ROLES = {
    "provider": "Provider", "deployer": "Deployer", "importer": "Importer",
    "distributor": "Distributor", "product_manufacturer": "Product manufacturer",
    "authorised_representative": "Authorised representative",
}
ROLE_OF = {"provider": "provider", "deployer": "deployer", "user": "deployer",
           "importer": "importer", "distributor": "distributor",
           "product_manufacturer": "product_manufacturer",
           "authorised_representative": "authorised_representative"}


@dataclass(frozen=True)
class Obligation:
    ref: str
    role: str
    duty: str
    when: str
    timeline_key: str
    applies_from: datetime.date
    timeline_label: str

    @property
    def role_label(self) -> str:
        return OPERATOR_ROLES[self.role]

    def days_left(self, today: datetime.date) -> int:
        """Days until it applies; 0 or less once it does."""
        return (self.applies_from - today).days


@cache
def rules() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(DATA.read_text())["obligations"])


def operator_roles(system_roles: list[str], facts: dict[str, Any]) -> list[str]:
    """The organisation's AI Act roles for a system: its inventory roles mapped, plus the
    provider role the classification adds (Art. 25, a product manufacturer on the product
    route, the provider of a general-purpose AI model)."""
    roles = {ROLE_OF[r] for r in system_roles if r in ROLE_OF}
    if facts.get("becomes_provider") or facts.get("gpai_model") or (
            facts.get("route") and facts.get("annex_i") and "product_manufacturer" in roles):
        roles.add("provider")
    return [r for r in OPERATOR_ROLES if r in roles]


def conditions(cls: str, facts: dict[str, Any]) -> set[str]:
    """The `when` names of the rules a classification meets."""
    met: set[str] = set()
    if cls == "out_of_scope":
        return met
    if facts.get("ai_system"):
        met.add("in_scope")
    if cls == "prohibited":
        practices = facts.get("prohibited", [])
        if any(p != "5_omnibus" for p in practices):
            met.add("prohibited")
        if "5_omnibus" in practices:
            met.add("prohibited_omnibus")
        return met
    points = facts.get("annex_iii", [])
    if cls == "high":
        met.add("high")
        if points:
            met.add("high_annex_iii")
        # Art. 27: every deployer of 5(b) or 5(c); a public body or public-service provider
        # deploying any Annex III system outside area 2.
        if {"5b", "5c"} & set(points) or (
                facts.get("public_service") and any(not p.startswith("2") for p in points)):
            met.add("fria")
        if any(not p.startswith("2") for p in points):
            met.add("high_annex_iii_not_2")
    if facts.get("registration_6_3"):
        met.add("registration_6_3")
    for case in facts.get("transparency", []):
        met.add(f"transparency:{case}_legacy" if case == "50_2" and facts.get("generative_legacy")
                else f"transparency:{case}")
    if facts.get("gpai_model"):
        met.add("gpai")
        if facts.get("gpai_systemic") or not facts.get("gpai_open_source"):
            met.add("gpai_documented")
        if facts.get("gpai_systemic"):
            met.add("gpai_systemic")
    return met


def timeline_key(rule: dict[str, Any], facts: dict[str, Any]) -> str:
    key = rule["from"]
    if key == "route":
        return "high_risk_annex_i" if facts.get("route") == "annex_i" else "high_risk_annex_iii"
    if key == "gpai" and facts.get("gpai_legacy"):
        return "gpai_legacy"
    return key


def derive(*, cls: str, facts: dict[str, Any], system_roles: list[str],
           timeline: list[dict[str, Any]]) -> list[Obligation]:
    """The obligations of a classification for an organisation with `system_roles` toward the
    system, ordered by the date they apply from, then article."""
    dates = {t["key"]: t for t in timeline}
    met = conditions(cls, facts)
    roles = operator_roles(system_roles, facts)
    out = []
    for rule in rules():
        if rule["when"] not in met:
            continue
        key = timeline_key(rule, facts)
        entry = dates[key]
        for role in roles:
            if role in rule["roles"]:
                out.append(Obligation(
                    ref=rule["ref"], role=role, duty=rule["duty"], when=rule["when"],
                    timeline_key=key, applies_from=datetime.date.fromisoformat(entry["date"]),
                    timeline_label=entry["label"]))
    return sorted(out, key=lambda o: o.applies_from)
