"""Reads of readiness: the evaluation itself, saved snapshots and what changed between two."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from aims.activity.kept import kept_read
from aims.core.errors import NotFound
from aims.core.lookup import get_scoped
from aims.orgs.context import Ctx
from aims.readiness import documented
from aims.readiness.engine import Evaluation, evaluate
from aims.readiness.facts import Facts
from aims.readiness.models import (
    Certification,
    ExternalAudit,
    ExternalFinding,
    Plan,
    PlanStep,
    Snapshot,
)

TREND_POINTS = 30


def readiness_evaluate(*, ctx: Ctx, as_of: datetime.date) -> Evaluation:
    """ctx.org judged as of `as_of` (any member may read it); judged again only once its
    record has changed (aims.activity.kept): one query otherwise."""
    ctx.require("org.view")
    return kept_read(ctx=ctx, key=("readiness", as_of),
                     read=lambda: evaluate(ctx=ctx, as_of=as_of))


def snapshot_list(*, ctx: Ctx) -> QuerySet[Snapshot]:
    """Saved evaluations, newest first."""
    return Snapshot.objects.for_org(ctx.org).select_related("taken_by").order_by(
        "-as_of", "-created_at")


def trend(*, ctx: Ctx, points: int = TREND_POINTS) -> list[tuple[datetime.date, int]]:
    """(day, score) of the latest saved evaluation of each day, oldest first, at most
    `points` days."""
    seen: dict[datetime.date, int] = {}
    for day, score in snapshot_list(ctx=ctx).values_list("as_of", "score")[:points * 3]:
        seen.setdefault(day, score)
    return sorted(seen.items())[-points:]


@dataclass(frozen=True)
class Changes:
    since: Snapshot | None
    opened: list[dict[str, Any]]
    resolved: list[dict[str, Any]]


def _key(finding: dict[str, Any]) -> str:
    """As Finding.key, from a finding as the API gives it."""
    obj = finding.get("object")
    if obj:
        return f"{finding['rule']}:{obj['kind']}:{obj['id']}"
    return f"{finding['rule']}:{','.join(finding['refs'])}"


def changes_since_last(*, ctx: Ctx, evaluation: Evaluation) -> Changes:
    """Findings opened and resolved since the last saved evaluation before this one's day
    (or the last one at all when this one is of a day already saved)."""
    last = (snapshot_list(ctx=ctx).filter(as_of__lte=evaluation.as_of).first())
    if last is None:
        return Changes(since=None, opened=[], resolved=[])
    before = {_key(f): f for f in last.result.get("findings", [])}
    now = {_key(f): f for f in evaluation.as_dict()["findings"]}
    return Changes(since=last, opened=[f for k, f in now.items() if k not in before],
                   resolved=[f for k, f in before.items() if k not in now])


# ---------------------------------------------------------------------------- plan


def plan_get(*, ctx: Ctx) -> Plan | None:
    """The organisation's implementation plan with its steps and their tasks (two queries)."""
    return (Plan.objects.for_org(ctx.org)
            .prefetch_related(Prefetch("steps", queryset=PlanStep.all_orgs
                                       .select_related("task", "task__owner")
                                       .order_by("created_at")))
            .first())


# ---------------------------------------------------------------------------- certification


def certification_list(*, ctx: Ctx) -> list[Certification]:
    """Certifications, newest first, with their audits and findings (three queries)."""
    audits = ExternalAudit.all_orgs.order_by("start_date").prefetch_related(
        Prefetch("findings", queryset=ExternalFinding.all_orgs.order_by("created_at")))
    return list(Certification.objects.for_org(ctx.org)
                .prefetch_related(Prefetch("audits", queryset=audits))
                .order_by("-created_at"))


def certification_get(*, ctx: Ctx, certification_id: uuid.UUID | str) -> Certification:
    cert = get_scoped(Certification.objects.for_org(ctx.org), certification_id)
    if cert is None:
        raise NotFound("Certification not found.")
    return cert


def external_audit_get(*, ctx: Ctx, audit_id: uuid.UUID | str) -> ExternalAudit:
    audit = get_scoped(ExternalAudit.objects.for_org(ctx.org).prefetch_related("findings"),
                       audit_id)
    if audit is None:
        raise NotFound("External audit not found.")
    return audit


def next_external_audit(*, ctx: Ctx, today: datetime.date | None = None
                        ) -> ExternalAudit | None:
    """The next audit by a certification body, from today on."""
    today = today or timezone.localdate()
    return (ExternalAudit.objects.for_org(ctx.org).filter(start_date__gte=today)
            .select_related("certification").order_by("start_date").first())


# ---------------------------------------------------------------------------- documented


def documented_checklist(*, ctx: Ctx, as_of: datetime.date) -> list[documented.Item]:
    """The mandatory documented information and what in ctx.org's record answers each item,
    as of `as_of`."""
    return documented.checklist(Facts(ctx=ctx, as_of=as_of))
