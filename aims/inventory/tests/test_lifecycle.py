import datetime

import pytest
from django.utils import timezone

from aims.activity.models import Event
from aims.core.errors import Conflict, PermissionDenied, ValidationError
from aims.impact.models import ImpactAssessment
from aims.inventory.gates import deployment_checks, stage_gate
from aims.inventory.models import LifecycleRecord
from aims.inventory.selectors import (
    deployment_approval_current,
    deployment_approval_list,
    lifecycle_record_list,
)
from aims.inventory.services import (
    ai_system_retire,
    ai_system_stage_change,
    ai_system_update,
    deployment_approval_create,
    system_change_record,
)
from aims.inventory.tests.conftest import add_rated_risk, approve_assessment
from aims.risks.models import Risk
from aims.risks.services import risk_accept, risk_update
from aims.testing.factories import ctx_for, make_ai_system

pytestmark = pytest.mark.django_db


def refused(call) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        call()
    assert set(exc.value.errors) == {"lifecycle_stage"}, exc.value.errors
    return exc.value.errors["lifecycle_stage"]


def deploy(ctx, system, note=""):
    system.refresh_from_db()
    return ai_system_stage_change(ctx=ctx, system_id=system.pk, to_stage="deployed",
                                  version=system.version, note=note)


def test_gate_names_each_missing_item_then_allows(ctx, admin_ctx):
    system = make_ai_system(ctx, name="Collections model", lifecycle_stage="verification")
    messages = refused(lambda: deploy(ctx, system))
    assert len(messages) == 3
    impact, risks, approval = messages
    assert impact.startswith("Impact assessment:") and "no approved impact assessment" in impact
    assert risks.startswith("Risks:") and "record at least one risk" in risks
    assert approval.startswith("Deployment approval:") and "owner or admin" in approval
    assert not LifecycleRecord.objects.for_org(ctx.org).exists()

    approve_assessment(ctx, admin_ctx, system)
    add_rated_risk(ctx, system)
    assert refused(lambda: deploy(ctx, system)) == [approval]

    system.refresh_from_db()
    deployment_approval_create(ctx=admin_ctx, system_id=system.pk, version=system.version,
                               note="Pilot results reviewed by the credit committee.")
    moved = deploy(ctx, system, note="Go-live after the pilot.")
    assert moved.lifecycle_stage == "deployed"
    record = lifecycle_record_list(ctx=ctx, system_id=system.pk).get()
    assert (record.from_stage, record.to_stage, record.changed_by, record.note) == (
        "verification", "deployed", ctx.user, "Go-live after the pilot.")
    assert [c["key"] for c in record.gate] == ["impact_assessment", "risks", "approval"]
    assert all(c["ok"] for c in record.gate)
    assert record.approval == deployment_approval_current(ctx=ctx, system=system)
    # The move is one update of the system and one new lifecycle record in the log.
    assert Event.objects.filter(org=ctx.org, object_id=str(record.pk), action="create").exists()
    assert Event.objects.filter(org=ctx.org, object_id=str(system.pk), action="update",
                                changes__lifecycle_stage__after="deployed").exists()


def test_an_assessment_in_progress_or_needing_reassessment_is_named(ctx, admin_ctx):
    system = make_ai_system(ctx, lifecycle_stage="development")
    from aims.impact.services import assessment_create
    assessment_create(ctx=ctx, data={"ai_system": system.pk})
    impact = refused(lambda: deploy(ctx, system))[0]
    assert "version 1" in impact and "draft" in impact and "submit it" in impact

    other = make_ai_system(ctx, lifecycle_stage="development")
    approve_assessment(ctx, admin_ctx, other)
    system_change_record(ctx=ctx, system_id=other.pk, data={
        "description": "New training data from a second market.", "significant": True})
    impact = refused(lambda: deploy(ctx, other))[0]
    assert "needs re-assessment" in impact and "second market" in impact

    overdue = make_ai_system(ctx, lifecycle_stage="development")
    a = approve_assessment(ctx, admin_ctx, overdue)
    ImpactAssessment.objects.for_org(ctx.org).filter(pk=a.pk).update(
        next_due=timezone.localdate() - datetime.timedelta(days=1))
    impact = refused(lambda: deploy(ctx, overdue))[0]
    assert "was due for re-assessment on" in impact


def test_risks_must_be_rated_reviewed_and_signed_off(ctx, admin_ctx, members):
    system = make_ai_system(ctx, lifecycle_stage="verification")
    approve_assessment(ctx, admin_ctx, system)
    system.refresh_from_db()
    deployment_approval_create(ctx=admin_ctx, system_id=system.pk, version=system.version)
    unrated = add_rated_risk(ctx, system, title="Unrated", residual_likelihood=None,
                             residual_impact=None, status="assessed")
    stale = add_rated_risk(ctx, system, title="Stale",
                           next_review=timezone.localdate() - datetime.timedelta(days=3))
    high = add_rated_risk(ctx, system, title="High", residual_likelihood=4, residual_impact=4)
    add_rated_risk(ctx, system, title="Closed, never rated", residual_likelihood=None,
                   residual_impact=None, status="closed")
    messages = refused(lambda: deploy(ctx, system))
    assert len(messages) == 3
    assert f"{unrated.ref} “Unrated” has no residual rating" in messages[0]
    assert f"{stale.ref} “Stale” was due for review" in messages[1]
    assert f"{high.ref} “High” stays critical" in messages[2] and "sign off" in messages[2]

    risk_update(ctx=ctx, risk_id=unrated.pk, version=unrated.version,
                data={"residual_likelihood": 1, "residual_impact": 1,
                      "treatment_option": "mitigate",
                      "treatment_rationale": "Caps on contact frequency in the dialler."})
    risk_update(ctx=ctx, risk_id=stale.pk, version=stale.version,
                data={"next_review": timezone.localdate() + datetime.timedelta(days=90)})
    high = Risk.objects.for_org(ctx.org).get(pk=high.pk)
    risk_accept(ctx=ctx, risk_id=high.pk, version=high.version)
    assert deploy(ctx, system).lifecycle_stage == "deployed"


def test_a_significant_change_or_leaving_deployed_ends_the_approval(ctx, admin_ctx, ready):
    system = ready()
    approval = deployment_approval_current(ctx=ctx, system=system)
    assert approval.is_valid
    system_change_record(ctx=ctx, system_id=system.pk, data={
        "description": "Retrained on a new year of data.", "significant": True})
    approval = deployment_approval_current(ctx=ctx, system=system)
    assert not approval.is_valid and approval.ended_reason == "a significant change was recorded"
    messages = refused(lambda: deploy(ctx, system))
    assert any(m.startswith("Deployment approval:") and "no longer stands" in m
               for m in messages)

    second = ready()
    deploy(ctx, second)
    second.refresh_from_db()
    ai_system_stage_change(ctx=ctx, system_id=second.pk, to_stage="development",
                           version=second.version, note="Rolled back after an incident.")
    approval = deployment_approval_current(ctx=ctx, system=second)
    assert approval.ended_reason == "the system moved out of deployed"
    assert [m for m in refused(lambda: deploy(ctx, second)) if "approval" in m.lower()]
    second.refresh_from_db()
    deployment_approval_create(ctx=admin_ctx, system_id=second.pk, version=second.version)
    assert deploy(ctx, second).lifecycle_stage == "deployed"
    ends = [a.ended_reason for a in deployment_approval_list(ctx=ctx, system_id=second.pk)]
    assert ends == ["", "the system moved out of deployed"]  # the earliest end counts


def test_only_owners_and_admins_approve_and_editors_change_stages(org, members, ctx, ready):
    system = make_ai_system(ctx, lifecycle_stage="design")
    for role in ("editor", "viewer", "auditor"):
        with pytest.raises(PermissionDenied):
            deployment_approval_create(ctx=ctx_for(org, members[role]), system_id=system.pk,
                                       version=system.version)
    approval = deployment_approval_create(ctx=ctx_for(org, members["owner"]),
                                          system_id=system.pk, version=system.version,
                                          note="  Limited to one region.  ")
    assert (approval.approved_by, approval.note, approval.system_version) == (
        members["owner"], "Limited to one region.", system.version)
    # The other checks are kept with the approval as they stood.
    assert [c["key"] for c in approval.gate] == ["impact_assessment", "risks"]
    assert not any(c["ok"] for c in approval.gate)
    for role in ("viewer", "auditor"):
        with pytest.raises(PermissionDenied):
            ai_system_stage_change(ctx=ctx_for(org, members[role]), system_id=system.pk,
                                   to_stage="development", version=system.version)
    with pytest.raises(Conflict):
        deployment_approval_create(ctx=ctx_for(org, members["admin"]), system_id=system.pk,
                                   version=system.version + 1)


def test_other_moves_are_recorded_but_not_gated(ctx):
    system = make_ai_system(ctx, lifecycle_stage="concept")
    assert not stage_gate(ctx=ctx, system=system, to_stage="design").gated
    for stage in ("design", "development", "concept"):
        system = ai_system_stage_change(ctx=ctx, system_id=system.pk, to_stage=stage,
                                        version=system.version)
    system = ai_system_retire(ctx=ctx, system_id=system.pk, version=system.version)
    assert (system.lifecycle_stage, system.status) == ("retired", "retired")
    system = ai_system_stage_change(ctx=ctx, system_id=system.pk, to_stage="development",
                                    version=system.version, note="Revived for a new market.")
    assert (system.lifecycle_stage, system.status) == ("development", "active")
    moves = [(r.from_stage, r.to_stage, r.gate) for r in
             lifecycle_record_list(ctx=ctx, system_id=system.pk)]
    assert moves == [("retired", "development", []), ("concept", "retired", []),
                     ("development", "concept", []), ("design", "development", []),
                     ("concept", "design", [])]
    with pytest.raises(ValidationError) as exc:
        ai_system_stage_change(ctx=ctx, system_id=system.pk, to_stage="development",
                               version=system.version)
    assert "already at" in exc.value.errors["lifecycle_stage"][0]
    with pytest.raises(ValidationError) as exc:
        ai_system_stage_change(ctx=ctx, system_id=system.pk, to_stage="launched",
                               version=system.version)
    assert "Unknown lifecycle stage" in exc.value.errors["lifecycle_stage"][0]


def test_the_edit_path_goes_through_the_same_gate(ctx, ready):
    system = make_ai_system(ctx, lifecycle_stage="verification", business_unit="Ops")
    messages = refused(lambda: ai_system_update(
        ctx=ctx, system_id=system.pk, version=system.version,
        data={"lifecycle_stage": "deployed", "business_unit": "Collections"}))
    assert len(messages) == 3
    system.refresh_from_db()
    assert (system.lifecycle_stage, system.business_unit) == ("verification", "Ops")
    # Other edits leave the lifecycle history alone; a stage change through the edit is a move.
    ai_system_update(ctx=ctx, system_id=system.pk, version=system.version,
                     data={"business_unit": "Collections", "lifecycle_stage": "verification"})
    assert not LifecycleRecord.objects.for_org(ctx.org).exists()
    ok = ready()
    ai_system_update(ctx=ctx, system_id=ok.pk, version=ok.version,
                     data={"lifecycle_stage": "deployed", "business_unit": "Collections"})
    record = LifecycleRecord.objects.for_org(ctx.org).get()
    assert (record.ai_system_id, record.to_stage) == (ok.pk, "deployed")


def test_a_stale_version_is_a_conflict_before_the_gate(ctx):
    system = make_ai_system(ctx, lifecycle_stage="verification")
    with pytest.raises(Conflict):
        ai_system_stage_change(ctx=ctx, system_id=system.pk, to_stage="deployed",
                               version=system.version + 3)


def test_creating_a_system_at_a_stage_is_not_a_move(ctx):
    system = make_ai_system(ctx, lifecycle_stage="deployed")
    assert system.lifecycle_stage == "deployed"
    assert not LifecycleRecord.objects.for_org(ctx.org).exists()
    # It stays deployed, but its page shows which deployment checks it does not meet.
    assert not deployment_checks(ctx=ctx, system=system).passed


def test_retired_systems_cannot_be_approved(ctx, admin_ctx):
    system = make_ai_system(ctx, lifecycle_stage="retired", status="retired")
    with pytest.raises(ValidationError):
        deployment_approval_create(ctx=admin_ctx, system_id=system.pk, version=system.version)


def test_a_new_system_cannot_skip_the_deployment_gate(org, members, ctx, api, web_client_for):
    """Creating a system straight in `deployed` (service, API, web form) is refused like a
    stage change without an approved assessment, reviewed risks and an approval."""
    from aims.inventory.models import AISystem
    from aims.inventory.services import ai_system_create

    body = {"name": "Shortcut", "intended_purpose": "Scores applicants.",
            "roles": ["deployer"], "lifecycle_stage": "deployed"}
    with pytest.raises(ValidationError) as exc:
        ai_system_create(ctx=ctx, data=body)
    assert "deployment approval" in exc.value.errors["lifecycle_stage"][0]
    r = api.post(f"/api/v1/orgs/{org.slug}/ai-systems", body)
    assert r.status_code == 422 and "lifecycle_stage" in r.json()["errors"]
    r = web_client_for(members["editor"]).post(f"/o/{org.slug}/ai-systems/new/", {
        **body, "status": "active", "in_scope": "on", "eu_risk_class": "minimal", "owner": ""})
    assert r.status_code == 422 and 'id="id_lifecycle_stage_error"' in r.content.decode()
    assert not AISystem.objects.for_org(org).filter(name="Shortcut").exists()
    # An earlier stage is fine, and the move is then gated as usual.
    r = api.post(f"/api/v1/orgs/{org.slug}/ai-systems", {**body, "lifecycle_stage": "verification"})
    assert r.status_code == 201
