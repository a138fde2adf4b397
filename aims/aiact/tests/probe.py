"""How the tenancy, role and API-error matrices reach the EU AI Act routes: a further AI
system of each world is classified high-risk (the world's own system stays unclassified, so it
stays deletable), and its obligations show in the calendar."""

from __future__ import annotations

from aims.aiact.models import ClassificationVersion
from aims.aiact.services import classification_save
from aims.testing.factories import make_ai_system

HIGH_RISK = {"ai_system": "yes", "gpai_model": "no", "exclusion": "none", "prohibited": [],
             "annex_i": "none", "annex_iii": ["4a"], "profiling": "yes",
             "becomes_provider": "no", "transparency": ["50_1"]}


def build(world, ctx, tag: str) -> None:
    system = make_ai_system(ctx, name=f"{tag} Recruiting Ranker", roles=["provider", "deployer"],
                            eu_risk_class="unassessed")
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    world.extra["classified_system"] = system
    world.secrets += [system.name, str(system.pk)]


def _number(w) -> int:
    latest = (ClassificationVersion.objects.for_org(w.org).filter(ai_system=w.system)
              .order_by("-number").first())
    return latest.number if latest else 0


S = "/orgs/{slug}/ai-systems/{system_id}/classification"
BODIES = {
    ("PUT", S): lambda s, i: {"answers": HIGH_RISK, "version": _number(i)},
}
# Saving a classification logs the new version and the system's new EU class.
MULTI_EVENT_ROUTES = {("PUT", S)}
