"""How the tenancy, role and API-error matrices reach the EU AI Act routes: a further AI
system of each world is classified high-risk (the world's own system stays unclassified, so it
stays deletable), and its obligations show in the calendar."""

from __future__ import annotations

from aims.aiact.models import ClassificationVersion, ObligationItem
from aims.aiact.services import classification_save
from aims.testing.factories import make_ai_system

HIGH_RISK = {"ai_system": "yes", "gpai_model": "no", "exclusion": "none", "prohibited": [],
             "annex_i": "none", "annex_iii": ["4a"], "profiling": "yes",
             "becomes_provider": "no", "public_service": "no", "transparency": ["50_1"]}


def build(world, ctx, tag: str) -> None:
    system = make_ai_system(ctx, name=f"{tag} Recruiting Ranker", roles=["provider", "deployer"],
                            eu_risk_class="unassessed")
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    world.extra["classified_system"] = system
    obligation = (ObligationItem.objects.for_org(world.org).filter(ai_system=system)
                  .order_by("applies_from", "ref", "role")[0])
    world.extra["obligation"] = obligation
    world.secrets += [system.name, str(system.pk), str(obligation.pk)]


def _obligation(w) -> ObligationItem:
    """The world's obligation as it stands now (a write may have moved its version)."""
    return ObligationItem.objects.for_org(w.org).get(pk=w.extra["obligation"].pk)


def _number(w) -> int:
    latest = (ClassificationVersion.objects.for_org(w.org).filter(ai_system=w.system)
              .order_by("-number").first())
    return latest.number if latest else 0


S = "/orgs/{slug}/ai-systems/{system_id}/classification"
OB = "/orgs/{slug}/obligations/{obligation_id}"
PATH_PARAMS = {"obligation_id": lambda w: w.extra["obligation"].pk}
ORG_UNIQUE_PARAMS = {"obligation_id"}
VERSIONED_BY = {"obligation_id": lambda w: _obligation(w).version}
WRITE_PERMS = {"obligations": "compliance.change"}
BODIES = {
    ("PUT", S): lambda s, i: {"answers": HIGH_RISK, "version": _number(i)},
    # Free text and the owner only: the stale-edit matrix overwrites every other string, and
    # a status it overwrote would be refused by its schema before the version is compared.
    ("PATCH", OB): lambda s, i: {"version": _obligation(i).version,
                                "owner": str(s.editor.pk), "notes": "Probe: the work began."},
}
WEB_PARAMS = {"item_id": lambda w: w.extra["obligation"].pk}
# Saving a classification logs the new version and the system's new EU class.
MULTI_EVENT_ROUTES = {("PUT", S)}
