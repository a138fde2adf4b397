"""How the tenancy, role and error matrices reach the impact-assessment routes (see
aims.testing.tenancy)."""

from __future__ import annotations

from aims.impact.selectors import impact_settings_version
from aims.impact.services import (
    assessment_create,
    assessment_submit,
    impact_create,
)
from aims.testing.factories import ctx_for, make_ai_system


def _sections(tag: str) -> dict[str, str]:
    return {
        "intended_purpose": f"{tag} drafts underwriting notes for policy renewals.",
        "context_of_use": f"{tag} underwriters in two regional offices review every note.",
        "foreseeable_misuse": "Copying the note into a decision letter without review.",
        "affected_individuals": "Policyholders whose renewals are assessed.",
        "affected_groups": "Small businesses with short claims histories.",
        "societal_effects": "Slightly faster renewals across the market we serve.",
        "conclusion": f"{tag} acceptable with reviewer sign-off on every note.",
    }


def _impact(tag: str) -> dict:
    return {"area": "fairness", "nature": "negative",
            "description": f"{tag} confidential premium loading for short histories.",
            "severity": 3, "likelihood": 2, "reversibility": "reversible", "scale": "group",
            "mitigations": "Underwriters review every note.", "residual_rating": "low"}


def build(world, ctx, tag: str) -> None:
    """Two more AI systems (so the world's own system stays deletable): one with a complete
    draft assessment and an impact, one with an assessment in review; both by the editor, so
    the owner and admins may approve."""
    editor = ctx_for(world.org, world.editor)
    drafted = make_ai_system(ctx, name=f"{tag} Underwriting Copilot", owner=world.editor.pk,
                             description=f"{tag} secret underwriting rules")
    reviewed = make_ai_system(ctx, name=f"{tag} Renewal Letter Drafter", owner=world.editor.pk)
    draft = assessment_create(ctx=editor, data={"ai_system": drafted.pk, **_sections(tag)})
    impact = impact_create(ctx=editor, assessment_id=draft.pk, data=_impact(tag))
    review = assessment_create(ctx=editor, data={"ai_system": reviewed.pk, **_sections(tag)})
    impact_create(ctx=editor, assessment_id=review.pk, data=_impact(tag))
    review = assessment_submit(ctx=editor, assessment_id=review.pk, version=review.version)
    draft.refresh_from_db()
    world.extra.update(impact_draft=draft, impact=impact, impact_review=review)
    world.secrets += [drafted.name, drafted.description, reviewed.name, draft.conclusion,
                      impact.description, str(draft.pk), str(impact.pk), str(review.pk)]


def _draft(w):
    return w.extra["impact_draft"]


def _impact_of(w):
    return w.extra["impact"]


def _review(w):
    return w.extra["impact_review"]


PATH_PARAMS = {
    "assessment_id": lambda w: _draft(w).pk,
    "impact_id": lambda w: _impact_of(w).pk,
}
ORG_UNIQUE_PARAMS = {"assessment_id", "impact_id"}
VERSIONED_BY = {
    "assessment_id": lambda w: _draft(w).version,
    "impact_id": lambda w: _impact_of(w).version,
}

A = "/orgs/{slug}/impact-assessments/{assessment_id}"
BODIES = {
    ("POST", "/orgs/{slug}/impact-assessments"):
        lambda s, i: {"ai_system": str(s.system.pk), "trigger": "initial"},
    ("PATCH", A): lambda s, i: {"version": _draft(i).version, "conclusion": "Probe conclusion"},
    ("POST", A + "/submit"): lambda s, i: {"version": _draft(i).version},
    ("POST", A + "/approve"): lambda s, i: {"version": _review(i).version},
    ("POST", A + "/return"):
        lambda s, i: {"version": _review(i).version, "comment": "Probe: add the evidence."},
    ("POST", A + "/impacts"): lambda s, i: {**_impact("Probe"), "description": "Probe impact"},
    ("PATCH", A + "/impacts/{impact_id}"):
        lambda s, i: {"version": _impact_of(i).version, "description": "Probe impact"},
    ("POST", A + "/impacts/{impact_id}/raise-risk"):
        lambda s, i: {"version": _impact_of(i).version},
    ("PATCH", "/orgs/{slug}/impact-settings"):
        lambda s, i: {"version": impact_settings_version(org=i.org),
                      "reassessment_interval_months": 6},
}


# Approving and returning act on an assessment in review; every other route on the draft.
ROUTE_PARAMS = {
    ("POST", A + "/approve"): {"assessment_id": lambda w: _review(w).pk},
    ("POST", A + "/return"): {"assessment_id": lambda w: _review(w).pk},
}
WRITE_PERMS = {"impact-assessments": "impact.change", "impact-settings": "org.manage"}
ROUTE_PERMS = {
    ("POST", A + "/approve"): "impact.approve",
    ("POST", A + "/return"): "impact.approve",
}
# Raising a risk logs the new risk and the impact's link to it.
MULTI_EVENT_ROUTES = {("POST", A + "/impacts/{impact_id}/raise-risk")}
WEB_PARAMS = {
    "assessment_id": lambda w: _draft(w).pk,
    "impact_id": lambda w: _impact_of(w).pk,
}
