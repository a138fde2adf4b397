"""Risk records and routes for the tenancy, role and API-error matrices (aims.testing)."""

from __future__ import annotations

import datetime

from aims.risks.defaults import default_methodology_data
from aims.risks.selectors import methodology_current
from aims.risks.services import action_create, risk_create


def build(world, ctx, tag: str) -> None:
    """One risk (owned by the organisation's owner, linked to the world's AI system and SoA
    control) with one treatment action, named with `tag` so a leak is easy to spot."""
    risk = risk_create(ctx=ctx, data={
        "title": f"{tag} claims model treats some postcodes unfairly",
        "description": f"{tag} confidential fairness finding",
        "category": "bias", "owner": world.owner.pk, "ai_systems": [world.system.pk],
        "controls": ["A.7.4"], "inherent_likelihood": 4, "inherent_impact": 4,
        "treatment_option": "mitigate",
        "treatment_rationale": f"{tag} retraining with reweighted claims data is planned.",
        "residual_likelihood": 3, "residual_impact": 4, "status": "treating",
        "enterprise_ref": f"{tag}-ERM-17"})
    action = action_create(ctx=ctx, risk_id=risk.pk, data={
        "title": f"{tag} reweight the training data", "owner": world.editor.pk,
        "due_date": datetime.date.today() + datetime.timedelta(days=30)})
    world.extra["risk"] = risk
    world.extra["risk_action"] = action
    world.extra["methodology"] = methodology_current(ctx=ctx)
    world.secrets += [risk.title, risk.description, risk.treatment_rationale,
                      risk.enterprise_ref, action.title, str(risk.pk), str(action.pk)]


PATH_PARAMS = {
    "risk_id": lambda w: w.extra["risk"].pk,
    "action_id": lambda w: w.extra["risk_action"].pk,
}
ORG_UNIQUE_PARAMS = {"risk_id", "action_id"}
WEB_PARAMS = dict(PATH_PARAMS)

WRITE_PERMS = {"risks": "risks.change", "risk-methodology": "risks.change"}
ROUTE_PERMS = {
    # Only the risk's owner may sign off, on top of risks.change. The probe's risk is owned by
    # the organisation's owner, so of the roles only "owner" succeeds: the role whose
    # permission that is.
    ("POST", "/orgs/{slug}/risks/{risk_id}/accept"): "org.manage",
}
# Linking a control to a new risk also updates (and logs) the control's SoA decision.
MULTI_EVENT_ROUTES = {("POST", "/orgs/{slug}/risks")}
VERSIONED_BY = {
    "risk_id": lambda w: w.extra["risk"].version,
    "action_id": lambda w: w.extra["risk_action"].version,
}


def _methodology_body(s, i) -> dict:
    data = default_methodology_data()
    data["change_note"] = "Probe: a new version."
    return {"based_on": s.extra["methodology"].number, **data}


BODIES = {
    ("POST", "/orgs/{slug}/risks"): lambda s, i: {
        "title": "Probe risk", "category": "privacy", "owner": str(s.editor.pk),
        "ai_systems": [str(s.system.pk)], "controls": ["A.8.2"],
        "inherent_likelihood": 2, "inherent_impact": 3},
    ("PATCH", "/orgs/{slug}/risks/{risk_id}"):
        lambda s, i: {"version": i.extra["risk"].version, "title": "Probe renamed risk"},
    ("POST", "/orgs/{slug}/risks/{risk_id}/accept"):
        lambda s, i: {"version": i.extra["risk"].version},
    ("POST", "/orgs/{slug}/risks/{risk_id}/actions"):
        lambda s, i: {"title": "Probe action", "owner": str(s.editor.pk)},
    ("PATCH", "/orgs/{slug}/risks/{risk_id}/actions/{action_id}"):
        lambda s, i: {"version": i.extra["risk_action"].version, "title": "Probe renamed action"},
    ("POST", "/orgs/{slug}/risks/import"): lambda s, i: {
        "csv": "Title,Category,AI systems\n"
               f"Probe imported risk,Privacy,{s.system.name}\n"},
    ("POST", "/orgs/{slug}/risk-methodology"): _methodology_body,
}
