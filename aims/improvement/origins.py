"""What a record tells a new incident, nonconformity or improvement raised from it.

Pages pre-fill their forms with these values and services fill in whatever the caller left
out, so "raise a nonconformity from this audit finding" is one step wherever it starts. Other
apps' records are read by attribute, not imported, so this module depends on none of them.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Protocol, cast

from django.db import models
from django.utils import timezone

from aims.improvement.models import (
    ImprovementSource,
    Incident,
    IncidentType,
    NcSeverity,
    NcSource,
)
from aims.records.kinds import kind_of

TITLE_MAX = 200

NC_SOURCE = {
    "audit_line": NcSource.AUDIT_FINDING, "audit": NcSource.AUDIT_FINDING,
    "incident": NcSource.INCIDENT,
    "monitor_result": NcSource.MONITORING, "monitor": NcSource.MONITORING,
    "management_review": NcSource.MANAGEMENT_REVIEW,
    "external_finding": NcSource.EXTERNAL_AUDIT,
}
IMPROVEMENT_SOURCE = {
    "audit_line": ImprovementSource.AUDIT, "audit": ImprovementSource.AUDIT,
    "management_review": ImprovementSource.MANAGEMENT_REVIEW,
    "monitor_result": ImprovementSource.MONITORING, "monitor": ImprovementSource.MONITORING,
    "nonconformity": ImprovementSource.NONCONFORMITY,
    "incident": ImprovementSource.NONCONFORMITY,
    "external_finding": ImprovementSource.EXTERNAL_AUDIT,
}
INCIDENT_TYPE = {"bias": IncidentType.BIAS, "drift": IncidentType.DRIFT,
                 "availability": IncidentType.AVAILABILITY}


class _ExternalFinding(Protocol):
    """An external audit's finding (kind "external_finding"), as read here."""

    grade: str


class _Monitor(Protocol):
    indicator: str
    ai_system_id: uuid.UUID | None


class _MonitorResult(Protocol):
    """A monitoring result (kind "monitor_result"), as read here."""

    monitor: _Monitor
    measured_on: datetime.date
    created_at: datetime.datetime


def _title(text: str) -> str:
    first = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return first if len(first) <= TITLE_MAX else first[:TITLE_MAX - 1] + "…"


def _key(origin: models.Model) -> str:
    return kind_of(origin).key


def _audit_line(line) -> dict[str, Any]:
    req = line.requirement
    system = f" ({line.ai_system.name})" if line.ai_system_id else ""
    audit = line.audit.ref if line.audit_id else "audit"
    return {"title": _title(f"{audit} finding on {req.ref}{system}: {_title(line.notes)}"),
            "description": line.notes, "requirement": req}


def _monitor_result(result) -> dict[str, Any]:
    monitor = result.monitor
    # A stored 4.5000 reads as people write it: 4.5 (no trailing zeros, no exponent).
    value = format(result.value.normalize(), "f")
    value = "0" if value in ("-0", "") else value
    lines = [f"{monitor.ref} {monitor.name} measured {value} {monitor.unit} on "
             f"{result.measured_on.isoformat()}"
             + (f", outside its thresholds ({result.thresholds})." if result.breached else ".")]
    lines += [t for t in (result.note, result.analysis) if t and t.strip()]
    return {"title": _title(f"{monitor.name}: result outside thresholds on "
                            f"{result.measured_on.isoformat()}" if result.breached else
                            f"{monitor.name}: result of {result.measured_on.isoformat()}"),
            "description": "\n".join(lines)}


def _common(origin: models.Model) -> dict[str, Any]:
    key = _key(origin)
    if key == "audit_line":
        return _audit_line(origin)
    if key == "monitor_result":
        return _monitor_result(origin)
    title = getattr(origin, "title", "") or str(origin)
    description = getattr(origin, "description", "") or ""
    if key == "management_review":
        description = f"Raised at the management review {origin}."
    return {"title": _title(title), "description": description}


def nonconformity_defaults(origin: models.Model) -> dict[str, Any]:
    """Fields of a nonconformity raised from `origin` (service field names)."""
    key = _key(origin)
    data = {**_common(origin), "source": NC_SOURCE.get(key, NcSource.OTHER)}
    if key == "audit_line":
        data["severity"] = (NcSeverity.MAJOR if getattr(origin, "result", "") == "major_nc"
                            else NcSeverity.MINOR)
    elif key == "external_finding":
        grade = cast(_ExternalFinding, origin).grade
        data["severity"] = NcSeverity.MAJOR if grade == "major" else NcSeverity.MINOR
    elif isinstance(origin, Incident):
        data["severity"] = (NcSeverity.MAJOR if origin.severity in ("high", "critical")
                            else NcSeverity.MINOR)
        if origin.containment.strip():
            data["correction"] = origin.containment
    return data


def improvement_defaults(origin: models.Model) -> dict[str, Any]:
    """Fields of an improvement opportunity raised from `origin`."""
    key = _key(origin)
    data = _common(origin)
    data.pop("requirement", None)
    return {**data, "source": IMPROVEMENT_SOURCE.get(key, ImprovementSource.OTHER)}


def incident_defaults(origin: models.Model) -> dict[str, Any]:
    """Fields of an incident recorded from `origin` (a monitoring result, usually)."""
    key = _key(origin)
    data = _common(origin)
    data.pop("requirement", None)
    system_id = None
    if key == "monitor_result":
        result = cast(_MonitorResult, origin)
        monitor = result.monitor
        data["incident_type"] = INCIDENT_TYPE.get(monitor.indicator, IncidentType.OTHER)
        system_id = monitor.ai_system_id
        occurred = datetime.datetime.combine(result.measured_on, datetime.time.min)
        data["occurred_at"] = timezone.make_aware(occurred)
        data["detected_at"] = max(result.created_at, data["occurred_at"])
    elif key == "ai_system":
        system_id = origin.pk
        data = {}
    else:
        system_id = getattr(origin, "ai_system_id", None)
    if system_id:
        data["ai_systems"] = [system_id]
    return data
