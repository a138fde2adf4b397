"""Writes to the internal audit programme: programmes, audits, checklists and reports.

Everything here needs `audits.change` (owners, admins and auditors): auditors run audits, and
that is all they may change.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from aims.activity.services import record
from aims.audits.models import (
    OPEN,
    Audit,
    AuditLine,
    AuditProgramme,
    AuditStatus,
    LineResult,
)
from aims.audits.scope import expand_refs, is_per_system
from aims.core.errors import NotFound, ValidationError
from aims.core.fields import created
from aims.core.wording import counted
from aims.evidence.selectors import evidence_by_ids
from aims.inventory.selectors import ai_systems_by_ids
from aims.orgs.context import Ctx
from aims.orgs.selectors import member_user_get
from aims.records import writes
from aims.records.numbering import next_number

PERM = "audits.change"


# ---------------------------------------------------------------------------- programmes

PROGRAMME_FIELDS = ("name", "start_date", "months", "objectives", "owner")


def _programme_data(ctx: Ctx, data: dict[str, Any], current: AuditProgramme | None = None
                    ) -> dict[str, Any]:
    data = writes.only(data, PROGRAMME_FIELDS)
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
        clash = AuditProgramme.objects.for_org(ctx.org).filter(name__iexact=data["name"])
        if current is not None:
            clash = clash.exclude(pk=current.pk)
        if data["name"] and clash.exists():
            raise ValidationError({"name": [
                f"An audit programme named “{data['name']}” already exists."]})
    if data.get("months", 0) is None:
        data["months"] = 12
    return data


@transaction.atomic
def programme_create(*, ctx: Ctx, data: dict[str, Any]) -> AuditProgramme:
    """Start the audit programme of a cycle (12 months unless said otherwise)."""
    ctx.require(PERM)
    data = _programme_data(ctx, data)
    return writes.create(ctx=ctx, obj=AuditProgramme(org=ctx.org, **data))


@transaction.atomic
def programme_update(*, ctx: Ctx, programme_id: uuid.UUID, data: dict[str, Any],
                     version: int | None) -> AuditProgramme:
    """Change a programme written at `version`."""
    ctx.require(PERM)
    programme = writes.get_for_update(AuditProgramme, ctx=ctx, pk=programme_id,
                                      label="Audit programme")
    return writes.change(ctx=ctx, obj=programme, version=version,
                         data=_programme_data(ctx, data, programme))


@transaction.atomic
def programme_delete(*, ctx: Ctx, programme_id: uuid.UUID, version: int | None) -> None:
    """Remove a programme entered by mistake; one that holds audits stays."""
    ctx.require(PERM)
    programme = writes.get_for_update(AuditProgramme, ctx=ctx, pk=programme_id,
                                      label="Audit programme")
    try:
        writes.delete(ctx=ctx, obj=programme, version=version)
    except ProtectedError as exc:
        raise ValidationError({"__all__": [
            f"{programme.name} holds audits, so it cannot be deleted. Delete or move its "
            "audits first."]}) from exc


# ---------------------------------------------------------------------------- audits

AUDIT_FIELDS = ("title", "programme", "units", "criteria", "lead_auditor", "planned_start",
                "planned_end", "actual_start", "actual_end")
AUDIT_LINKS = ("requirements", "ai_systems", "team")


def _team(ctx: Ctx, ids) -> list:
    if ids is None:
        return []
    if isinstance(ids, (str, bytes)) or not isinstance(ids, (list, tuple, set)):
        raise ValidationError({"team": ["Send a list of member ids."]})
    users = {}
    for raw in ids:
        user = member_user_get(ctx=ctx, user_id=raw, field="team")
        if user is not None:
            users[user.pk] = user
    return sorted(users.values(), key=lambda u: u.email)


def _programme(ctx: Ctx, programme_id: uuid.UUID) -> AuditProgramme:
    programme = (AuditProgramme.objects.for_org(ctx.org).filter(pk=programme_id).first()
                 if programme_id else None)
    if programme is None:
        raise ValidationError({"programme": ["Choose an audit programme of this organisation."]})
    return programme


def _audit_data(ctx: Ctx, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    """Model fields and the many-to-many links (objects) of an audit write."""
    data = writes.only(data, (*AUDIT_FIELDS, *AUDIT_LINKS))
    links: dict[str, list] = {}
    if "requirements" in data:
        links["requirements"] = expand_refs(data.pop("requirements"))
    if "ai_systems" in data:
        links["ai_systems"] = ai_systems_by_ids(ctx=ctx, ids=data.pop("ai_systems"))
    if "team" in data:
        links["team"] = _team(ctx, data.pop("team"))
    if "programme" in data:
        programme = data["programme"]
        data["programme"] = _programme(ctx, getattr(programme, "pk", programme))
    if "lead_auditor" in data:
        data["lead_auditor"] = member_user_get(ctx=ctx, user_id=data["lead_auditor"],
                                               field="lead_auditor")
    if isinstance(data.get("title"), str):
        data["title"] = data["title"].strip()
    if "criteria" in data and not (data["criteria"] or "").strip():
        raise ValidationError({"criteria": ["Say what the audit checks against."]})
    return data, links


def _check_in_cycle(audit: Audit) -> None:
    """An audit planned outside its programme's cycle would count toward a year it does not
    serve (an audit dated next January is not part of this year's coverage): refuse it."""
    programme, start = audit.programme, audit.planned_start
    end = programme.end_date
    if start is None or end is None:
        return
    if not programme.start_date <= start <= end:
        raise ValidationError({"planned_start": [
            f"{start.isoformat()} is outside the cycle of “{programme.name}” "
            f"({programme.start_date.isoformat()} – {end.isoformat()}), so the audit would "
            "count toward a cycle it does not belong to. Choose a date within the cycle, or the "
            "programme of the cycle it falls in."]})


def _labels(field: str, objs) -> list[str]:
    if field == "requirements":
        return [r.ref for r in objs]
    if field == "ai_systems":
        return [s.name for s in objs]
    return [u.email for u in objs]


def _line_sort_key(requirement, system) -> str:
    return f"{requirement.sort_key}|{system.name.lower() if system else ''}"


def _sync_checklist(audit: Audit, requirements: list, systems: list) -> dict[str, int]:
    """Give the audit one line per requirement in scope — per AI system in scope for the
    controls applied system by system (see scope.PER_SYSTEM_DOMAINS) — keeping every line
    already there. A line no longer in scope is removed only while it holds nothing (not
    assessed, no notes, no evidence); otherwise it stays, so no audit work is lost."""
    wanted: dict[tuple[int, Any], tuple[Any, Any]] = {}
    for req in requirements:
        if is_per_system(req) and systems:
            for system in systems:
                wanted[(req.pk, system.pk)] = (req, system)
        else:
            wanted[(req.pk, None)] = (req, None)
    existing = list(AuditLine.objects.for_org(audit.org).filter(audit=audit)
                    .prefetch_related("evidence"))
    have = {(line.requirement_id, line.ai_system_id): line for line in existing}
    new = [AuditLine(org=audit.org, audit=audit, requirement=req, ai_system=system,
                     questions=list(req.questions), sort_key=_line_sort_key(req, system))
           for key, (req, system) in wanted.items() if key not in have]
    AuditLine.objects.for_org(audit.org).bulk_create(new)
    empty = [line.pk for key, line in have.items()
             if key not in wanted and line.result == LineResult.NOT_ASSESSED
             and not line.notes.strip() and not line.evidence.all()]
    if empty:
        AuditLine.objects.for_org(audit.org).filter(pk__in=empty).delete()
    return {"added": len(new), "removed": len(empty),
            "kept": len(existing) - len(empty)}


def _checklist_change(counts: dict[str, int]) -> dict[str, Any]:
    return {"checklist": {"before": None,
                          "after": f"{counted(counts['added'], 'line')} added, "
                                   f"{counted(counts['removed'], 'unused line')} removed"}}


def _refuse_if_frozen(audit: Audit, what: str) -> None:
    if audit.is_frozen:
        raise ValidationError({"__all__": [
            f"{audit.ref} is {audit.get_status_display().lower()}: its {what} can no longer "
            "change. The issued report is the record of the audit."]})


@transaction.atomic
def audit_create(*, ctx: Ctx, data: dict[str, Any]) -> Audit:
    """Plan an audit in a programme and generate its checklist from the scope.

    `data` holds model fields plus `requirements` (refs such as "6.1.2", "8" or "A.5"),
    `ai_systems` (AI system ids) and `team` (member ids)."""
    ctx.require(PERM)
    data, links = _audit_data(ctx, data)
    if "programme" not in data:
        raise ValidationError({"programme": ["Choose the programme this audit belongs to."]})
    number = next_number(Audit, ctx=ctx)
    audit = Audit(org=ctx.org, number=number, ref=f"AUD-{number:03d}", **data)
    _check_in_cycle(audit)
    requirements = links.get("requirements", [])
    systems = links.get("ai_systems", [])
    team = links.get("team", [])
    writes.create(ctx=ctx, obj=audit, extra_changes=created({
        "requirements": _labels("requirements", requirements),
        "ai_systems": _labels("ai_systems", systems), "team": _labels("team", team),
    }) | _checklist_preview(requirements, systems))
    audit.requirements.set(requirements)
    audit.ai_systems.set(systems)
    audit.team.set(team)
    _sync_checklist(audit, requirements, systems)
    return audit


def _checklist_preview(requirements: list, systems: list) -> dict[str, Any]:
    lines = sum(len(systems) if is_per_system(r) and systems else 1 for r in requirements)
    return {"checklist": {"before": None, "after": f"{counted(lines, 'line')} generated"}}


@transaction.atomic
def audit_update(*, ctx: Ctx, audit_id: uuid.UUID, data: dict[str, Any], version: int | None
                ) -> Audit:
    """Change an audit that is not yet reported; a new scope adds checklist lines (answered
    ones are kept)."""
    ctx.require(PERM)
    audit = writes.get_for_update(Audit, ctx=ctx, pk=audit_id, label="Audit")
    _refuse_if_frozen(audit, "plan")
    data, links = _audit_data(ctx, data)
    extra: dict[str, Any] = {}
    current: dict[str, list] = {
        "requirements": list(audit.requirements.order_by("sort_key")),
        "ai_systems": list(audit.ai_systems.order_by("name")),
        "team": list(audit.team.order_by("email")),
    }
    for field, objs in links.items():
        before, after = _labels(field, current[field]), _labels(field, objs)
        if before != after:
            extra[field] = {"before": before, "after": after}
    if "planned_start" in data or "programme" in data:
        _check_in_cycle(Audit(programme=data.get("programme", audit.programme),
                              planned_start=data.get("planned_start", audit.planned_start)))
    scope_changed = "requirements" in extra or "ai_systems" in extra
    if scope_changed:
        writes.check_version(audit, version)  # before the checklist is touched
        counts = _sync_checklist(audit, links.get("requirements", current["requirements"]),
                                 links.get("ai_systems", current["ai_systems"]))
        extra.update(_checklist_change(counts))
    audit = writes.change(ctx=ctx, obj=audit, data=data, version=version, extra_changes=extra)
    for field in ("requirements", "ai_systems", "team"):
        if field in extra:
            getattr(audit, field).set(links[field])
    return audit


@transaction.atomic
def checklist_regenerate(*, ctx: Ctx, audit_id: uuid.UUID, version: int | None) -> dict[str, int]:
    """Bring the checklist in line with the scope: lines for requirements and AI systems
    scoped since it was generated; answered lines are never removed."""
    ctx.require(PERM)
    audit = writes.get_for_update(Audit, ctx=ctx, pk=audit_id, label="Audit")
    _refuse_if_frozen(audit, "checklist")
    writes.check_version(audit, version)
    counts = _sync_checklist(audit, list(audit.requirements.order_by("sort_key")),
                             list(audit.ai_systems.order_by("name")))
    record(ctx=ctx, action="update", obj=audit, changes=_checklist_change(counts))
    return counts


TRANSITIONS: dict[str, tuple[str, ...]] = {
    AuditStatus.IN_PROGRESS: (AuditStatus.PLANNED,),
    AuditStatus.CLOSED: (AuditStatus.REPORTED,),
    AuditStatus.CANCELLED: OPEN,
}


@transaction.atomic
def audit_transition(*, ctx: Ctx, audit_id: uuid.UUID, to: str, version: int | None) -> Audit:
    """Start (planned → in progress), close (reported → closed) or cancel an open audit.
    Reporting has its own service: it needs the report."""
    ctx.require(PERM)
    audit = writes.get_for_update(Audit, ctx=ctx, pk=audit_id, label="Audit")
    if to == AuditStatus.REPORTED:
        raise ValidationError({"to": ["Issue the report to mark the audit reported."]})
    if to not in TRANSITIONS:
        raise ValidationError({"to": [
            f"Choose one of: {', '.join(str(s) for s in TRANSITIONS)}."]})
    if audit.status not in TRANSITIONS[to]:
        raise ValidationError({"to": [
            f"{audit.ref} is {audit.get_status_display().lower()}; it can become "
            f"{AuditStatus(to).label.lower()} only from "
            f"{' or '.join(AuditStatus(s).label.lower() for s in TRANSITIONS[to])}."]})
    data: dict[str, Any] = {"status": to}
    if to == AuditStatus.IN_PROGRESS and not audit.actual_start:
        data["actual_start"] = timezone.localdate()
    return writes.change(ctx=ctx, obj=audit, data=data, version=version)


@transaction.atomic
def audit_delete(*, ctx: Ctx, audit_id: uuid.UUID, version: int | None) -> None:
    """Remove an audit planned by mistake, with its checklist. An audit with recorded
    results stays (cancel it instead)."""
    ctx.require(PERM)
    audit = writes.get_for_update(Audit, ctx=ctx, pk=audit_id, label="Audit")
    lines = AuditLine.objects.for_org(ctx.org).filter(audit=audit)
    if audit.is_completed or lines.exclude(result=LineResult.NOT_ASSESSED).exists() \
            or lines.exclude(notes="").exists():
        raise ValidationError({"__all__": [
            f"{audit.ref} holds audit work (results or notes), so it cannot be deleted. "
            "Cancel it instead: it then stays in the record as cancelled."]})
    writes.delete(ctx=ctx, obj=audit, version=version, extra_changes={
        "requirements": {"before": _labels("requirements",
                                           audit.requirements.order_by("sort_key")),
                         "after": None},
        "checklist": {"before": counted(lines.count(), "line"), "after": None}})


# ---------------------------------------------------------------------------- checklist lines

LINE_FIELDS = ("result", "notes", "evidence")


def _evidence(ctx: Ctx, ids) -> list:
    if ids is None:
        return []
    if isinstance(ids, (str, bytes)) or not isinstance(ids, (list, tuple, set)):
        raise ValidationError({"evidence": ["Send a list of evidence ids."]})
    wanted: set[uuid.UUID] = set()
    for raw in ids:
        try:
            wanted.add(uuid.UUID(str(getattr(raw, "pk", raw))))
        except ValueError:
            raise ValidationError({"evidence": [f"“{raw}” is not an evidence id."]}) from None
    found = evidence_by_ids(ctx=ctx, ids=wanted)
    if missing := {str(m) for m in wanted - {e.pk for e in found}}:
        raise ValidationError({"evidence": [
            f"Not evidence of this organisation: {', '.join(sorted(missing))}."]})
    return found


@transaction.atomic
def line_update(*, ctx: Ctx, line_id: uuid.UUID, data: dict[str, Any], version: int | None,
                audit_id: uuid.UUID | None = None) -> AuditLine:
    """Record a checklist line's result, notes and evidence; a finding needs notes, and a
    reported audit's checklist is frozen."""
    ctx.require(PERM)
    line = writes.get_for_update(AuditLine, ctx=ctx, pk=line_id, label="Checklist line")
    if audit_id is not None and str(line.audit_id) != str(audit_id):
        raise NotFound("Checklist line not found.")
    audit = Audit.objects.for_org(ctx.org).get(pk=line.audit_id)
    _refuse_if_frozen(audit, "checklist")
    data = writes.only(data, LINE_FIELDS)
    extra: dict[str, Any] = {}
    new_evidence = None
    if "evidence" in data:
        new_evidence = _evidence(ctx, data.pop("evidence"))
        before = [e.ref for e in line.evidence.order_by("number")]
        after = [e.ref for e in new_evidence]
        if before != after:
            extra["evidence"] = {"before": before, "after": after}
    if "notes" in data and data["notes"] is not None:
        data["notes"] = data["notes"].strip()
    line = writes.change(ctx=ctx, obj=line, data=data, version=version, extra_changes=extra)
    if new_evidence is not None and "evidence" in extra:
        line.evidence.set(new_evidence)
    return line


# ---------------------------------------------------------------------------- the report

REPORT_FIELDS = ("summary", "conclusion")


@transaction.atomic
def report_issue(*, ctx: Ctx, audit_id: uuid.UUID, data: dict[str, Any], version: int | None
                ) -> Audit:
    """Issue the audit report: the audit becomes reported and its checklist is frozen.
    Every line must be assessed first, so a covered requirement was really audited."""
    ctx.require(PERM)
    audit = writes.get_for_update(Audit, ctx=ctx, pk=audit_id, label="Audit")
    if audit.status not in OPEN:
        raise ValidationError({"__all__": [
            f"{audit.ref} is {audit.get_status_display().lower()}; only a planned or "
            "in-progress audit can have its report issued."]})
    data = writes.only(data, REPORT_FIELDS)
    errors: dict[str, list[str]] = {}
    for field in REPORT_FIELDS:
        data[field] = (data.get(field) or "").strip()
        if not data[field]:
            errors[field] = ["Required to issue the report."]
    lines = AuditLine.objects.for_org(ctx.org).filter(audit=audit)
    open_lines = list(lines.filter(result=LineResult.NOT_ASSESSED)
                      .select_related("requirement", "ai_system").order_by("sort_key")[:6])
    if not lines.exists():
        errors["__all__"] = ["The checklist is empty: put requirements in scope first."]
    elif open_lines:
        names = ", ".join(
            f"{ln.requirement.ref}{' (' + ln.ai_system.name + ')' if ln.ai_system is not None else ''}"
            for ln in open_lines[:5])
        more = " and more" if len(open_lines) > 5 else ""
        errors["__all__"] = [
            f"Assess every checklist line before issuing the report; still not assessed: "
            f"{names}{more}."]
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    data.update(status=AuditStatus.REPORTED, issued_by=ctx.user, issued_at=timezone.now(),
                actual_start=audit.actual_start or min(audit.planned_start or today, today),
                actual_end=audit.actual_end or today)
    return writes.change(ctx=ctx, obj=audit, data=data, version=version)
