"""Writes to the AI system inventory."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from aims.core.errors import ValidationError
from aims.inventory.gates import GATED_STAGES, deployment_checks, stage_gate
from aims.inventory.models import (
    AISystem,
    DeploymentApproval,
    LifecycleRecord,
    LifecycleStage,
    Resource,
    ResourceKind,
    SystemChange,
    SystemStatus,
)
from aims.inventory.selectors import ai_systems_by_ids
from aims.orgs.context import Ctx
from aims.orgs.selectors import member_user_get
from aims.records import hooks, writes

FIELDS = (
    "name", "intended_purpose", "description", "owner", "business_unit", "lifecycle_stage",
    "roles", "in_scope", "scope_justification", "deployment_context", "affected_parties",
    "data_categories", "processes_personal_data", "human_oversight", "third_party_components",
    "eu_risk_class", "status",
)


def _prepare(ctx: Ctx, data: dict[str, Any], current: AISystem | None = None) -> dict[str, Any]:
    data = writes.only(data, FIELDS)
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
        clash = AISystem.objects.for_org(ctx.org).filter(name__iexact=data["name"])
        if current is not None:
            clash = clash.exclude(pk=current.pk)
        if data["name"] and clash.exists():
            raise ValidationError({"name": [f"An AI system named “{data['name']}” already exists."]})
    # Keep status and lifecycle stage telling the same story about retirement.
    if data.get("lifecycle_stage") == LifecycleStage.RETIRED and "status" not in data:
        data["status"] = SystemStatus.RETIRED
    if data.get("status") == SystemStatus.RETIRED and "lifecycle_stage" not in data:
        data["lifecycle_stage"] = LifecycleStage.RETIRED
    if (current is not None and current.lifecycle_stage == LifecycleStage.RETIRED
            and data.get("lifecycle_stage") not in (None, LifecycleStage.RETIRED)
            and "status" not in data):
        # Brought back from retirement: it is in use again.
        data["status"] = SystemStatus.ACTIVE
    return data


@transaction.atomic
def ai_system_create(*, ctx: Ctx, data: dict[str, Any], as_history: bool = False) -> AISystem:
    """Add an AI system to the inventory, at a stage its gate lets it start in.

    Deploying is gated (an approved impact assessment, reviewed risks and a deployment
    approval, all of which need the system to exist first), so a new system cannot start in a
    gated stage: it is added at an earlier one and moved. `as_history` is for loading a record
    written elsewhere (the demo, test data), where the stage is a fact of the past; no door
    (web, API, CLI) passes it."""
    ctx.require("inventory.change")
    data = _prepare(ctx, data)
    stage = data.get("lifecycle_stage")
    if stage in GATED_STAGES and not as_history:
        label = LifecycleStage(stage).label.lower()
        raise ValidationError({"lifecycle_stage": [
            f"A new AI system cannot start in {label}: moving to {label} needs an approved "
            "impact assessment, reviewed risks and a deployment approval, which the system "
            "must exist to have. Add it at an earlier stage, then move it once the deployment "
            "gate is passed."]})
    return writes.create(ctx=ctx, obj=AISystem(org=ctx.org, **data))


@transaction.atomic
def ai_system_update(*, ctx: Ctx, system_id: uuid.UUID, data: dict[str, Any],
                     version: int | None) -> AISystem:
    """Change an AI system written at `version`."""
    ctx.require("inventory.change")
    system = writes.get_for_update(AISystem, ctx=ctx, pk=system_id, label="AI system")
    data = _prepare(ctx, data, system)
    if data.get("lifecycle_stage", system.lifecycle_stage) != system.lifecycle_stage:
        # A new stage is a lifecycle move whichever door it comes through: gated and recorded.
        return _move(ctx, system, data=data, version=version, note="")
    return writes.change(ctx=ctx, obj=system, data=data, version=version)


@transaction.atomic
def ai_system_retire(*, ctx: Ctx, system_id: uuid.UUID, version: int | None, note: str = ""
                    ) -> AISystem:
    """Mark a system retired: it stays in the record for the audit trail."""
    ctx.require("inventory.change")
    system = writes.get_for_update(AISystem, ctx=ctx, pk=system_id, label="AI system")
    data = {"lifecycle_stage": LifecycleStage.RETIRED, "status": SystemStatus.RETIRED}
    if system.lifecycle_stage == LifecycleStage.RETIRED:
        return writes.change(ctx=ctx, obj=system, version=version, data=data)
    return _move(ctx, system, data=data, version=version, note=note)


# ---------------------------------------------------------------------------- lifecycle

NOTE_MAX = 4000


def _move(ctx: Ctx, system: AISystem, *, data: dict[str, Any], version: int | None,
          note: str) -> AISystem:
    """Move a locked system to data["lifecycle_stage"] (with any other changes in `data`):
    refuse a move to deployed that fails its checks, then record the move."""
    to_stage = data["lifecycle_stage"]
    if to_stage not in LifecycleStage.values:
        raise ValidationError({"lifecycle_stage": [
            f"Unknown lifecycle stage {to_stage!r}; choose from "
            f"{', '.join(LifecycleStage.values)}."]})
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [f"Keep the note under {NOTE_MAX} characters."]})
    # A stale request learns of the newer record before being judged against it.
    writes.check_version(system, version)
    from_stage = system.lifecycle_stage
    gate = stage_gate(ctx=ctx, system=system, to_stage=to_stage)
    if not gate.passed:
        # One message per missing item, each saying what to do (the page lists them as such).
        raise ValidationError({"lifecycle_stage": gate.problems})
    system = writes.change(ctx=ctx, obj=system, data=data, version=version)
    writes.create(ctx=ctx, obj=LifecycleRecord(
        org=ctx.org, ai_system=system, from_stage=from_stage, to_stage=to_stage,
        changed_by=ctx.user, changed_at=timezone.now(), note=note, gate=gate.snapshot(),
        approval=gate.approval if gate.gated else None))
    return system


@transaction.atomic
def ai_system_stage_change(*, ctx: Ctx, system_id: uuid.UUID, to_stage: str, version: int | None,
                           note: str = "") -> AISystem:
    """Move a system to another lifecycle stage, recording the move; a move to deployed is
    refused (422 on lifecycle_stage, one message per missing item) unless its impact
    assessment, risks and deployment approval are in order (see aims.inventory.gates)."""
    ctx.require("inventory.change")
    system = writes.get_for_update(AISystem, ctx=ctx, pk=system_id, label="AI system")
    if to_stage == system.lifecycle_stage:
        raise ValidationError({"lifecycle_stage": [
            f"{system.name} is already at {system.get_lifecycle_stage_display()}: choose "
            "another stage."]})
    data = _prepare(ctx, {"lifecycle_stage": to_stage}, system)
    return _move(ctx, system, data=data, version=version, note=note)


@transaction.atomic
def deployment_approval_create(*, ctx: Ctx, system_id: uuid.UUID, version: int | None,
                               note: str = "") -> DeploymentApproval:
    """Approve deploying a system as it stands at `version` (owners and admins). The
    approval stands until a later one, a significant change, or a move out of deployed; the
    other deployment checks are kept with it as they were."""
    ctx.require("lifecycle.approve")
    system = writes.get_for_update(AISystem, ctx=ctx, pk=system_id, label="AI system")
    writes.check_version(system, version)
    if system.lifecycle_stage == LifecycleStage.RETIRED:
        raise ValidationError({"__all__": [
            f"{system.name} is retired: bring it back to an earlier stage before approving its "
            "deployment."]})
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [f"Keep the note under {NOTE_MAX} characters."]})
    others = [c.snapshot() for c in deployment_checks(ctx=ctx, system=system).checks
              if c.key != "approval"]
    return writes.create(ctx=ctx, obj=DeploymentApproval(
        org=ctx.org, ai_system=system, approved_by=ctx.user, approved_at=timezone.now(),
        note=note, system_version=system.version, gate=others))


@transaction.atomic
def ai_system_delete(*, ctx: Ctx, system_id: uuid.UUID, version: int | None) -> None:
    """Remove a system entered by mistake; its last values stay in the activity log."""
    ctx.require("inventory.change")
    system = writes.get_for_update(AISystem, ctx=ctx, pk=system_id, label="AI system")
    try:
        writes.delete(ctx=ctx, obj=system, version=version)
    except ProtectedError as exc:
        # Its change log or impact assessments make it a real system: those records must stay.
        kinds = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
        raise ValidationError({"__all__": [
            f"{system.name} has records that must be kept ({', '.join(kinds)}), so it cannot be "
            "deleted. Retire it instead: it then stays in the record as retired."]}) from exc


CHANGE_FIELDS = ("description", "significant", "changed_on")


@transaction.atomic
def system_change_record(*, ctx: Ctx, system_id: uuid.UUID, data: dict[str, Any]) -> SystemChange:
    """Add an entry to a system's change log. A significant change, in the same transaction,
    marks the system's approved impact assessment as needing re-assessment if it took effect
    after that approval, and is recorded on a version in draft or review so its approver must
    acknowledge it."""
    ctx.require("inventory.change")
    data = writes.only(data, CHANGE_FIELDS)
    system = writes.get_for_update(AISystem, ctx=ctx, pk=system_id, label="AI system")
    data = dict(data)
    data["description"] = (data.get("description") or "").strip()
    data["significant"] = bool(data.get("significant"))
    if not data.get("changed_on"):
        data["changed_on"] = timezone.localdate()
    change = writes.create(ctx=ctx, obj=SystemChange(
        org=ctx.org, ai_system=system, recorded_by=ctx.user, **data))
    if change.significant:
        # Impact assessments build on the inventory: they react through a hook.
        hooks.run(hooks.SIGNIFICANT_CHANGE, ctx=ctx, change=change)
    return change


# ---------------------------------------------------------------------------- resources

RESOURCE_FIELDS = ("name", "kind", "description", "location", "owner", "data_categories",
                   "data_provenance", "quality_notes", "retention", "contains_personal_data")


def _resource_prepare(ctx: Ctx, data: dict[str, Any],
                      current: Resource | None = None) -> tuple[dict[str, Any], list | None]:
    data = writes.only(data, (*RESOURCE_FIELDS, "ai_systems"))
    systems = None
    if "ai_systems" in data:
        systems = ai_systems_by_ids(ctx=ctx, ids=data.pop("ai_systems") or [])
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
        clash = Resource.objects.for_org(ctx.org).filter(name__iexact=data["name"])
        if current is not None:
            clash = clash.exclude(pk=current.pk)
        if data["name"] and clash.exists():
            raise ValidationError({"name": [f"A resource named “{data['name']}” already exists."]})
    if "kind" in data and data["kind"] not in ResourceKind.values:
        raise ValidationError({"kind": [
            f"Unknown kind {data['kind']!r}; choose from {', '.join(ResourceKind.values)}."]})
    return data, systems


def _names(systems) -> list[str]:
    return [s.name for s in systems]


@transaction.atomic
def resource_create(*, ctx: Ctx, data: dict[str, Any]) -> Resource:
    """Record a resource AI systems rely on; `ai_systems` holds the ids of those systems."""
    ctx.require("inventory.change")
    data, systems = _resource_prepare(ctx, data)
    resource = writes.create(ctx=ctx, obj=Resource(org=ctx.org, **data), extra_changes={
        "ai_systems": {"before": None, "after": _names(systems or [])}})
    resource.ai_systems.set(systems or [])
    return resource


@transaction.atomic
def resource_update(*, ctx: Ctx, resource_id: uuid.UUID, data: dict[str, Any],
                    version: int | None) -> Resource:
    """Change a resource written at `version` (its linked AI systems too)."""
    ctx.require("inventory.change")
    resource = writes.get_for_update(Resource, ctx=ctx, pk=resource_id, label="Resource")
    data, systems = _resource_prepare(ctx, data, resource)
    extra = {}
    if systems is not None:
        before = _names(resource.ai_systems.order_by("name"))
        if before != _names(systems):
            extra["ai_systems"] = {"before": before, "after": _names(systems)}
    resource = writes.change(ctx=ctx, obj=resource, data=data, version=version,
                             extra_changes=extra)
    if systems is not None and "ai_systems" in extra:
        resource.ai_systems.set(systems)
    return resource


@transaction.atomic
def resource_delete(*, ctx: Ctx, resource_id: uuid.UUID, version: int | None) -> None:
    """Remove a resource; its last values and linked systems stay in the activity log."""
    ctx.require("inventory.change")
    resource = writes.get_for_update(Resource, ctx=ctx, pk=resource_id, label="Resource")
    writes.delete(ctx=ctx, obj=resource, version=version, extra_changes={
        "ai_systems": {"before": _names(resource.ai_systems.order_by("name")), "after": None}})
