"""Writes to the AI system inventory."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from aims.core import writes
from aims.core.errors import ValidationError
from aims.inventory.models import AISystem, LifecycleStage, SystemChange, SystemStatus
from aims.orgs.context import Ctx
from aims.orgs.selectors import member_user_get

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
    return data


@transaction.atomic
def ai_system_create(*, ctx: Ctx, data: dict[str, Any]) -> AISystem:
    """Add an AI system to the inventory."""
    ctx.require("inventory.change")
    data = _prepare(ctx, data)
    return writes.create(ctx=ctx, obj=AISystem(org=ctx.org, **data))


@transaction.atomic
def ai_system_update(*, ctx: Ctx, system_id, data: dict[str, Any],
                     version: int | None) -> AISystem:
    """Change an AI system written at `version`."""
    ctx.require("inventory.change")
    system = writes.get_for_update(AISystem, ctx=ctx, pk=system_id, label="AI system")
    return writes.change(ctx=ctx, obj=system, data=_prepare(ctx, data, system), version=version)


@transaction.atomic
def ai_system_retire(*, ctx: Ctx, system_id, version: int | None) -> AISystem:
    """Mark a system retired: it stays in the record for the audit trail."""
    ctx.require("inventory.change")
    system = writes.get_for_update(AISystem, ctx=ctx, pk=system_id, label="AI system")
    return writes.change(ctx=ctx, obj=system, version=version, data={
        "lifecycle_stage": LifecycleStage.RETIRED, "status": SystemStatus.RETIRED})


@transaction.atomic
def ai_system_delete(*, ctx: Ctx, system_id, version: int | None) -> None:
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
def system_change_record(*, ctx: Ctx, system_id, data: dict[str, Any]) -> SystemChange:
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
        # Impact assessments build on the inventory; imported here so the inventory does not
        # need the impact app to load.
        from aims.impact.services import assessment_flag_for_change

        assessment_flag_for_change(ctx=ctx, change=change)
    return change
