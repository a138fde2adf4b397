"""Writes of readiness: saving an evaluation, the implementation plan, the certification
cycle and the certification body's findings. Each is logged like every other write."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from aims.core.dates import add_months
from aims.core.errors import Conflict, ValidationError
from aims.improvement.services import improvement_create, nonconformity_create
from aims.orgs.context import Ctx
from aims.orgs.selectors import member_user_get
from aims.readiness.engine import Evaluation, evaluate
from aims.readiness.models import (
    Certification,
    ExternalAudit,
    ExternalFinding,
    Grade,
    Plan,
    PlanStep,
    Snapshot,
    SnapshotKind,
)
from aims.readiness.rules.base import Finding, Phase, Severity
from aims.records import writes
from aims.records.kinds import kind_of
from aims.tasks.models import TaskKind, TaskStatus
from aims.tasks.selectors import tasks_by_ids
from aims.tasks.services import task_complete, task_create

PERM = "readiness.manage"


# ---------------------------------------------------------------------------- snapshots


@transaction.atomic
def snapshot_save(*, ctx: Ctx, as_of: datetime.date | None = None,
                  evaluation: Evaluation | None = None) -> Snapshot:
    """Save an evaluation (of `as_of`, today by default) for the trend."""
    ctx.require(PERM)
    evaluation = evaluation or evaluate(ctx=ctx, as_of=as_of or timezone.localdate())
    return writes.create(ctx=ctx, obj=_snapshot(ctx, evaluation, SnapshotKind.MANUAL))


def _snapshot(ctx: Ctx, evaluation: Evaluation, kind: str) -> Snapshot:
    return Snapshot(org=ctx.org, as_of=evaluation.as_of, kind=kind, taken_by=ctx.user,
                    verdict=evaluation.verdict, score=evaluation.score,
                    result=evaluation.as_dict())


@transaction.atomic
def snapshot_daily(*, ctx: Ctx) -> Snapshot | None:
    """Today's automatic snapshot, once a day (None when it was already taken)."""
    today = timezone.localdate()
    if Snapshot.objects.for_org(ctx.org).filter(as_of=today, kind=SnapshotKind.DAILY).exists():
        return None
    snapshot = _snapshot(ctx, evaluate(ctx=ctx, as_of=today), SnapshotKind.DAILY)
    try:
        with transaction.atomic():
            return writes.create(ctx=ctx, obj=snapshot)
    except (ValidationError, Conflict):  # another process took it a moment ago
        return None


# ---------------------------------------------------------------------------- the plan

# How much of the time to the target date each phase may take, in order: a phase's tasks
# fall due at the end of its share, so the plan is scheduled back from the target date.
PHASE_SHARE = {
    Phase.CONTEXT: 0.10, Phase.LEADERSHIP: 0.20, Phase.RISK: 0.40, Phase.CONTROLS: 0.50,
    Phase.SUPPORT: 0.60, Phase.OPERATION: 0.70, Phase.EVALUATION: 0.85,
    Phase.IMPROVEMENT: 0.90, Phase.CERTIFICATION: 1.0,
}
PRIORITY = {Severity.MAJOR: "high", Severity.MINOR: "normal", Severity.OBSERVATION: "low"}
# The certification steps every plan ends with: (key, title, months before the target date).
CERTIFICATION_STEPS = (
    ("CERT-STAGE1", "Book the Stage 1 audit with the certification body", -3),
    ("CERT-INTERNAL-AUDIT", "Complete a full internal audit and act on its findings", -2),
    ("CERT-REVIEW", "Hold a management review that covers every required input", -1),
)


def phase_due(phase: str, start: datetime.date, target: datetime.date) -> datetime.date:
    """When a phase's tasks fall due between `start` and `target`."""
    days = max((target - start).days, 0)
    return start + datetime.timedelta(days=round(days * PHASE_SHARE[Phase(phase)]))


@transaction.atomic
def plan_set(*, ctx: Ctx, target_date: datetime.date, version: int | None = None) -> Plan:
    """Set (or move) the target certification date of the organisation's plan."""
    ctx.require(PERM)
    if target_date <= timezone.localdate():
        raise ValidationError({"target_date": ["Choose a target date in the future."]})
    plan = Plan.objects.for_org(ctx.org).select_for_update().first()
    if plan is None:
        return writes.create(ctx=ctx, obj=Plan(org=ctx.org, target_date=target_date))
    return writes.change(ctx=ctx, obj=plan, data={"target_date": target_date},
                         version=version if version is not None else plan.version)


@transaction.atomic
def plan_generate(*, ctx: Ctx, target_date: datetime.date | None = None,
                  owner=None) -> list[PlanStep]:
    """Turn today's open findings into owned, dated tasks toward the target date, phase by
    phase; a finding that already has a step keeps it (no second task), and a step whose
    finding is gone is resolved: its task marked done, in the log. Returns the new steps."""
    ctx.require(PERM)
    plan = Plan.objects.for_org(ctx.org).select_for_update().first()
    if target_date is not None or plan is None:
        if target_date is None:
            raise ValidationError({"target_date": [
                "Give the target certification date the plan works toward."]})
        plan = plan_set(ctx=ctx, target_date=target_date,
                        version=plan.version if plan else None)
    owner = member_user_get(ctx=ctx, user_id=owner, field="owner") if owner else ctx.user
    today = timezone.localdate()
    evaluation = evaluate(ctx=ctx, as_of=today)
    steps = {s.key: s for s in PlanStep.objects.for_org(ctx.org).filter(plan=plan)}
    open_keys = {f.key for f in evaluation.findings}
    new = [_step(ctx, plan, f, owner, today) for f in _plannable(evaluation.findings)
           if f.key not in steps]
    for code, title, months_before in CERTIFICATION_STEPS:
        if code not in steps:
            due = add_months(plan.target_date, months_before)
            new.append(_certification_step(ctx, plan, code, title, owner, due))
    _resolve(ctx, [s for k, s in steps.items() if k not in open_keys
                   and not k.startswith("CERT-") and s.resolved_at is None])
    plan.generated_at = timezone.now()
    plan.save(update_fields=["generated_at"])
    return new


def _plannable(findings: list[Finding]) -> list[Finding]:
    """Findings worth a task, once each (a record two rules' findings share a key with is
    planned once): not the "… and N more" summaries, whose records get steps as they come
    into view."""
    seen: dict[str, Finding] = {}
    for f in findings:
        if not f.more:
            seen.setdefault(f.key, f)
    return list(seen.values())


def _step(ctx: Ctx, plan: Plan, finding: Finding, owner, today: datetime.date) -> PlanStep:
    due = max(phase_due(finding.phase, today, plan.target_date), today)
    task = task_create(ctx=ctx, perm=PERM, data={
        "title": _title(finding), "description": f"{finding.message}\n\nWhat to do: {finding.fix}"
                                                 f"\n\nReadiness rule {finding.rule} "
                                                 f"({', '.join(finding.refs)}).",
        "kind": TaskKind.PLAN_STEP, "priority": PRIORITY[finding.severity],
        "owner": owner.pk if owner else None, "due_date": due})
    return writes.create(ctx=ctx, obj=PlanStep(org=ctx.org, plan=plan, key=finding.key,
                                               rule=finding.rule, phase=finding.phase,
                                               task=task))


def _certification_step(ctx: Ctx, plan: Plan, code: str, title: str, owner,
                        due: datetime.date) -> PlanStep:
    task = task_create(ctx=ctx, perm=PERM, data={
        "title": title, "kind": TaskKind.PLAN_STEP, "priority": "high",
        "owner": owner.pk if owner else None,
        "due_date": max(due, timezone.localdate()),
        "description": "A step every certification needs, scheduled back from the target "
                       f"date {plan.target_date:%Y-%m-%d}."})
    return writes.create(ctx=ctx, obj=PlanStep(org=ctx.org, plan=plan, key=code, rule=code,
                                               phase=Phase.CERTIFICATION, task=task))


def _title(finding: Finding) -> str:
    text = f"{finding.rule}: {finding.subject.label}" if finding.subject else finding.message
    return text if len(text) <= 200 else text[:199] + "…"


def _resolve(ctx: Ctx, steps: list[PlanStep]) -> None:
    """Steps whose finding no longer fires: the task is done, by the rule passing."""
    tasks = {t.pk: t for t in tasks_by_ids(ctx=ctx, ids=[s.task_id for s in steps if s.task_id])}
    for step in steps:
        task = tasks.get(step.task_id) if step.task_id is not None else None
        if task is not None and task.status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
            task_complete(ctx=ctx, task_id=task.pk, version=task.version, perm=PERM,
                          note=f"Readiness rule {step.rule} no longer finds this.")
        writes.change(ctx=ctx, obj=step, data={"resolved_at": timezone.now()},
                      version=step.version)


# ---------------------------------------------------------------------------- certification

CERTIFICATION_FIELDS = ("body", "scope_certified", "certificate_number", "issued_on",
                        "valid_until", "status")
AUDIT_FIELDS = ("kind", "start_date", "end_date", "lead_auditor", "outcome")
FINDING_FIELDS = ("grade", "refs", "description")
CERTIFICATE_YEARS = 3


@transaction.atomic
def certification_create(*, ctx: Ctx, data: dict[str, Any]) -> Certification:
    """Record the certification with a certification body."""
    ctx.require(PERM)
    data = writes.only(data, CERTIFICATION_FIELDS)
    if data.get("issued_on") and not data.get("valid_until"):
        data["valid_until"] = add_months(data["issued_on"], 12 * CERTIFICATE_YEARS)
    return writes.create(ctx=ctx, obj=Certification(org=ctx.org, **data))


@transaction.atomic
def certification_update(*, ctx: Ctx, certification_id: uuid.UUID, data: dict[str, Any],
                         version: int | None) -> Certification:
    ctx.require(PERM)
    data = writes.only(data, CERTIFICATION_FIELDS)
    cert = writes.get_for_update(Certification, ctx=ctx, pk=certification_id,
                                 label="Certification")
    return writes.change(ctx=ctx, obj=cert, data=data, version=version)


@transaction.atomic
def external_audit_create(*, ctx: Ctx, certification_id: uuid.UUID, data: dict[str, Any]
                          ) -> ExternalAudit:
    """Record an audit by the certification body (planned or held)."""
    ctx.require(PERM)
    data = writes.only(data, AUDIT_FIELDS)
    cert = writes.get_for_update(Certification, ctx=ctx, pk=certification_id,
                                 label="Certification")
    if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
        raise ValidationError({"end_date": ["An audit cannot end before it starts."]})
    return writes.create(ctx=ctx, obj=ExternalAudit(org=ctx.org, certification=cert, **data))


@transaction.atomic
def external_audit_update(*, ctx: Ctx, audit_id: uuid.UUID, data: dict[str, Any],
                          version: int | None) -> ExternalAudit:
    ctx.require(PERM)
    data = writes.only(data, AUDIT_FIELDS)
    audit = writes.get_for_update(ExternalAudit, ctx=ctx, pk=audit_id, label="External audit")
    audit = writes.change(ctx=ctx, obj=audit, data=data, version=version)
    if audit.end_date and audit.end_date < audit.start_date:
        raise ValidationError({"end_date": ["An audit cannot end before it starts."]})
    return audit


@transaction.atomic
def external_finding_record(*, ctx: Ctx, audit_id: uuid.UUID, data: dict[str, Any]
                           ) -> ExternalFinding:
    """Record a finding of the certification body; a nonconformity (major or minor) raises a
    nonconformity, an opportunity for improvement an improvement, linked both ways."""
    ctx.require(PERM)
    data = writes.only(data, FINDING_FIELDS)
    audit = writes.get_for_update(ExternalAudit, ctx=ctx, pk=audit_id, label="External audit")
    if not (data.get("description") or "").strip():
        raise ValidationError({"description": ["Write the finding as the body stated it."]})
    finding = writes.create(ctx=ctx, obj=ExternalFinding(org=ctx.org, audit=audit, **data))
    raised = (improvement_create(ctx=ctx, data={}, origin=finding) if finding.grade == Grade.OFI
              else nonconformity_create(ctx=ctx, data={}, origin=finding))
    return writes.change(ctx=ctx, obj=finding, version=finding.version, data={
        "subject_kind": kind_of(raised).key, "subject_id": raised.pk})

