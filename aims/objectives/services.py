"""Writes to AI objectives and their measurements."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from aims.core.errors import NotFound, ValidationError
from aims.inventory.models import AISystem
from aims.inventory.selectors import ai_systems_by_ids
from aims.objectives.models import (
    DECIMAL,
    QUANTUM,
    Measurement,
    Monitor,
    MonitorResult,
    Objective,
    ObjectiveStatus,
    format_value,
)
from aims.orgs.context import Ctx
from aims.orgs.selectors import member_user_get
from aims.records import writes
from aims.records.numbering import next_number

OBJECTIVE_FIELDS = (
    "title", "description", "policy_topic", "policy_reference", "metric", "target", "unit",
    "direction", "baseline", "frequency", "owner", "due_date", "ai_systems", "status",
)
MEASUREMENT_FIELDS = ("measured_on", "value", "note")
TEXT_FIELDS = ("title", "policy_reference", "unit")
WHOLE_DIGITS = DECIMAL["max_digits"] - DECIMAL["decimal_places"]


def _decimal(value: Any, field: str) -> Decimal | None:
    """`value` as the column will hold it (four places), so the log records what is stored:
    0.05 and 0.0500 are one value, and a later change or delete must not show them as two."""
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: ["Enter a number, such as 0.05 or 97.5."]}) from None
    try:
        stored = number.quantize(QUANTUM)
    except InvalidOperation:
        raise ValidationError({field: [f"Too large: use at most {WHOLE_DIGITS} digits before "
                                       "the decimal point."]}) from None
    if stored != number:
        raise ValidationError({field: ["Use at most four decimal places."]})
    # -0 and 0 are the same measurement; the databases do not all keep the sign.
    return stored if stored else Decimal(0).quantize(QUANTUM)


def _labels(systems) -> list[str]:
    return sorted(s.name for s in systems)


def _prepare(ctx: Ctx, data: dict[str, Any]) -> tuple[dict[str, Any], list[AISystem] | None]:
    """Checked field values, and the AI systems to link (None: leave the links alone)."""
    data = writes.only(data, OBJECTIVE_FIELDS)
    systems = ai_systems_by_ids(ctx=ctx, ids=data.pop("ai_systems")) if "ai_systems" in data else None
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")
    for name in ("target", "baseline"):
        if name in data:
            data[name] = _decimal(data[name], name)
    for name in TEXT_FIELDS:
        if isinstance(data.get(name), str):
            data[name] = data[name].strip()
    return data, systems


@transaction.atomic
def objective_create(*, ctx: Ctx, data: dict[str, Any]) -> Objective:
    """Set an AI objective, with the AI systems it concerns, in one logged step."""
    ctx.require("objectives.change")
    data, systems = _prepare(ctx, data)
    objective = writes.create(ctx=ctx, obj=Objective(org=ctx.org, **data), extra_changes={
        "ai_systems": {"before": None, "after": _labels(systems or [])}})
    objective.ai_systems.set(systems or [])
    return objective


@transaction.atomic
def objective_update(*, ctx: Ctx, objective_id: uuid.UUID, data: dict[str, Any],
                     version: int | None) -> Objective:
    """Change an objective written at `version`; a changed set of AI systems is logged with it."""
    ctx.require("objectives.change")
    objective = writes.get_for_update(Objective, ctx=ctx, pk=objective_id, label="Objective")
    data, systems = _prepare(ctx, data)
    extra = None
    if systems is not None:
        current = list(objective.ai_systems.all())
        if {s.pk for s in current} != {s.pk for s in systems}:
            extra = {"ai_systems": {"before": _labels(current), "after": _labels(systems)}}
    objective = writes.change(ctx=ctx, obj=objective, data=data, version=version,
                              extra_changes=extra)
    if systems is not None and extra:
        objective.ai_systems.set(systems)
    return objective


@transaction.atomic
def objective_delete(*, ctx: Ctx, objective_id: uuid.UUID, version: int | None) -> None:
    """Delete an objective set by mistake, with its measurements; all their last values go
    into the one log entry of the deletion."""
    ctx.require("objectives.change")
    objective = writes.get_for_update(Objective, ctx=ctx, pk=objective_id, label="Objective")
    writes.delete(ctx=ctx, obj=objective, version=version, extra_changes={
        "ai_systems": {"before": _labels(objective.ai_systems.all()), "after": None},
        "measurements": {"before": [
            f"{m.measured_on.isoformat()}: {format_value(m.value)}"
            for m in objective.measurements.order_by("measured_on", "created_at")],
            "after": None}})


@transaction.atomic
def measurement_create(*, ctx: Ctx, objective_id: uuid.UUID, data: dict[str, Any]) -> Measurement:
    """Record one value of the objective's metric; one per date (correct by delete and add)."""
    ctx.require("objectives.change")
    # Locking the objective serialises measurements of the same date: the second is told why.
    objective = writes.get_for_update(Objective, ctx=ctx, pk=objective_id, label="Objective")
    data = writes.only(data, MEASUREMENT_FIELDS)
    if objective.status == ObjectiveStatus.ABANDONED:
        raise ValidationError({"__all__": ["This objective was abandoned. Set it back to active "
                                           "before recording measurements."]})
    if "value" in data:
        data["value"] = _decimal(data["value"], "value")
    measured_on = data.get("measured_on")
    if measured_on and objective.measurements.filter(measured_on=measured_on).exists():
        raise ValidationError({"measured_on": [
            f"There is already a measurement for {measured_on.isoformat()}. To correct it, "
            "delete it and record the right value."]})
    measurement = Measurement(org=ctx.org, objective=objective, recorded_by=ctx.user, **data)
    return writes.create(ctx=ctx, obj=measurement)


@transaction.atomic
def measurement_delete(*, ctx: Ctx, objective_id: uuid.UUID, measurement_id: uuid.UUID,
                       version: int | None) -> None:
    """Delete a measurement written at `version`; its values stay in the activity log."""
    ctx.require("objectives.change")
    measurement = writes.get_for_update(Measurement, ctx=ctx, pk=measurement_id,
                                        label="Measurement")
    if str(measurement.objective_id) != str(objective_id):
        raise NotFound("Measurement not found.")
    writes.delete(ctx=ctx, obj=measurement, version=version)


# ------------------------------------------------------------------ monitoring (9.1)

MONITOR_FIELDS = ("name", "indicator", "ai_system", "method", "frequency", "unit",
                  "lower_threshold", "upper_threshold", "owner", "analyst", "active")
RESULT_FIELDS = ("measured_on", "value", "note", "analysis")


def _monitor_data(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    data = writes.only(data, MONITOR_FIELDS)
    for name in ("owner", "analyst"):
        if name in data:
            data[name] = member_user_get(ctx=ctx, user_id=data[name], field=name)
    if "ai_system" in data:
        ids = [data["ai_system"]] if data["ai_system"] not in (None, "") else []
        systems = ai_systems_by_ids(ctx=ctx, ids=ids, field="ai_system")
        data["ai_system"] = systems[0] if systems else None
    for name in ("lower_threshold", "upper_threshold"):
        if name in data:
            data[name] = _decimal(data[name], name)
    for name in ("name", "unit"):
        if isinstance(data.get(name), str):
            data[name] = data[name].strip()
    return data


@transaction.atomic
def monitor_create(*, ctx: Ctx, data: dict[str, Any]) -> Monitor:
    """Start monitoring something: what, how, how often, by whom, with which thresholds."""
    ctx.require("monitoring.change")
    monitor = Monitor(org=ctx.org, **_monitor_data(ctx, data))
    monitor.number = next_number(Monitor, ctx=ctx)
    monitor.ref = f"MON-{monitor.number:03d}"
    return writes.create(ctx=ctx, obj=monitor)


@transaction.atomic
def monitor_update(*, ctx: Ctx, monitor_id: uuid.UUID, data: dict[str, Any], version: int | None
                  ) -> Monitor:
    """Change a monitor written at `version`; results already recorded keep their judgement."""
    ctx.require("monitoring.change")
    monitor = writes.get_for_update(Monitor, ctx=ctx, pk=monitor_id, label="Monitor")
    return writes.change(ctx=ctx, obj=monitor, data=_monitor_data(ctx, data), version=version)


@transaction.atomic
def monitor_delete(*, ctx: Ctx, monitor_id: uuid.UUID, version: int | None) -> None:
    """Delete a monitor set up by mistake. One with results is made inactive instead, so the
    results stay on record."""
    ctx.require("monitoring.change")
    monitor = writes.get_for_update(Monitor, ctx=ctx, pk=monitor_id, label="Monitor")
    if monitor.results.exists():
        raise ValidationError({"__all__": [
            "This monitor has recorded results, which are part of the record. Make it "
            "inactive instead of deleting it."]})
    writes.delete(ctx=ctx, obj=monitor, version=version)


@transaction.atomic
def monitor_result_record(*, ctx: Ctx, monitor_id: uuid.UUID, data: dict[str, Any]
                         ) -> MonitorResult:
    """Record one result; whether it breaches is judged now, against the current thresholds."""
    ctx.require("monitoring.change")
    monitor = writes.get_for_update(Monitor, ctx=ctx, pk=monitor_id, label="Monitor")
    data = writes.only(data, RESULT_FIELDS)
    if not monitor.active:
        raise ValidationError({"__all__": ["This monitor is inactive. Make it active before "
                                           "recording results."]})
    if "value" in data:
        data["value"] = _decimal(data["value"], "value")
    measured_on = data.get("measured_on")
    if measured_on and monitor.results.filter(measured_on=measured_on).exists():
        raise ValidationError({"measured_on": [
            f"There is already a result for {measured_on.isoformat()}. To correct it, delete "
            "it and record the right value."]})
    result = MonitorResult(org=ctx.org, monitor=monitor, recorded_by=ctx.user, **data)
    if result.value is not None:
        result.breached = monitor.breaches(result.value)
        result.thresholds = monitor.threshold_text
    return writes.create(ctx=ctx, obj=result)


@transaction.atomic
def monitor_result_delete(*, ctx: Ctx, monitor_id: uuid.UUID, result_id: uuid.UUID,
                          version: int | None) -> None:
    """Delete a result written at `version`; its values stay in the activity log."""
    ctx.require("monitoring.change")
    result = writes.get_for_update(MonitorResult, ctx=ctx, pk=result_id, label="Result")
    if str(result.monitor_id) != str(monitor_id):
        raise NotFound("Result not found.")
    writes.delete(ctx=ctx, obj=result, version=version)
