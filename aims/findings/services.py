"""Writes of security findings: importing a scan, triage, the acceptance exception and what is
raised from a finding. Each authorises, validates, locks, writes and logs in one transaction."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from aims.core.errors import Conflict, ValidationError
from aims.core.fields import created
from aims.findings import sarif
from aims.findings.models import Finding, FindingStatus, Scan
from aims.improvement.models import NcSeverity, Nonconformity
from aims.improvement.services import nonconformity_create
from aims.inventory.models import AISystem
from aims.inventory.selectors import ai_system_get
from aims.orgs.context import Ctx
from aims.orgs.selectors import member_user_get
from aims.records import approval, writes
from aims.records.numbering import next_number
from aims.risks.models import Risk, RiskCategory
from aims.risks.services import risk_create

PERM = "findings.change"
APPROVE_PERM = "findings.accept"
# An exception is looked at again at least once a year.
MAX_ACCEPT_DAYS = 366
# How many references one import's log entry lists for each change (the counts are exact).
LOGGED_REFS = 200
# Statuses a later scan that no longer reports the finding turns into fixed; a false positive
# stays what it was.
CLOSED_BY_SCAN = (FindingStatus.OPEN, FindingStatus.ACCEPTANCE_REQUESTED,
                  FindingStatus.ACCEPTED)
# Statuses set by hand (PATCH, the triage form); acceptance has its own steps.
HAND_STATUSES = (FindingStatus.OPEN, FindingStatus.FIXED, FindingStatus.FALSE_POSITIVE)


def _refs(findings: list[Finding]) -> list[str]:
    refs = [f.ref for f in findings[:LOGGED_REFS]]
    more = len(findings) - LOGGED_REFS
    return [*refs, f"… and {more} more"] if more > 0 else refs


def _content_fields() -> tuple[str, ...]:
    return ("tool_version", "rule_name", "message", "severity", "level", "security_severity",
            "cvss_score", "cvss_vector", "cwes", "owasp_llm", "location", "start_line")


def _content(result: sarif.Result) -> dict[str, Any]:
    """What a scan says about a finding, which the latest scan keeps up to date."""
    return {k: getattr(result, k) for k in _content_fields()}


@transaction.atomic
def scan_import(*, ctx: Ctx, system_id: uuid.UUID | str, content: bytes,
                file_name: str = "") -> Scan:
    """Bring in a SARIF 2.1.0 report for one AI system: new results become open findings,
    known ones (same tool, same fingerprint) are updated, fixed ones that are reported again
    reopen, and the tool's findings the report no longer holds are marked fixed. All or
    nothing; one log entry says what changed."""
    ctx.require(PERM)
    system = ai_system_get(ctx=ctx, system_id=system_id)
    report = sarif.parse(content)
    # Lock the system: two imports for it at once run one after the other.
    writes.get_for_update(AISystem, ctx=ctx, pk=system.pk, label="AI system")
    now = timezone.now()
    number = next_number(Scan, ctx=ctx)
    scan = Scan(org=ctx.org, number=number, ref=f"SC-{number:03d}", ai_system=system,
                tools=", ".join(dict.fromkeys(report.tools))[:300],
                file_name=(file_name or "")[:200], sha256=report.sha256,
                results=len(report.results), imported_by=ctx.user)
    existing = {(f.tool_name, f.fingerprint): f for f in (
        Finding.objects.for_org(ctx.org).select_for_update()
        .filter(ai_system=system, tool_name__in=report.tool_names))}
    seen: set[tuple[str, str]] = set()
    new: list[Finding] = []
    reopened: list[Finding] = []
    touched: list[Finding] = []
    next_finding = next_number(Finding, ctx=ctx)
    for result in report.results:
        key = (result.tool_name, result.fingerprint)
        if key in seen:
            continue  # the same finding reported twice in one file
        seen.add(key)
        finding = existing.get(key)
        if finding is None:
            finding = Finding(org=ctx.org, number=next_finding, ref=f"SF-{next_finding:03d}",
                              ai_system=system, tool_name=result.tool_name,
                              rule_id=result.rule_id, fingerprint=result.fingerprint,
                              first_seen=now, last_seen=now, **_content(result))
            next_finding += 1
            new.append(finding)
            continue
        for k, v in _content(result).items():
            setattr(finding, k, v)
        finding.last_seen = now
        if finding.status == FindingStatus.FIXED:
            finding.status, finding.fixed_at, finding.version = (
                FindingStatus.OPEN, None, finding.version + 1)
            finding.status_reason = f"Reported again by {result.tool_name} in {scan.ref}."
            reopened.append(finding)
        touched.append(finding)
    vanished = [f for key, f in existing.items()
                if key not in seen and f.status in CLOSED_BY_SCAN]
    for finding in vanished:
        finding.status, finding.fixed_at, finding.version = (
            FindingStatus.FIXED, now, finding.version + 1)
        finding.status_reason = f"No longer reported by {finding.tool_name} in {scan.ref}."
    scan.new, scan.reopened, scan.fixed = len(new), len(reopened), len(vanished)
    writes.create(ctx=ctx, obj=scan, extra_changes={
        **created({"ai_system": system.name, "new findings": _refs(new),
                   "reopened findings": _refs(reopened), "fixed findings": _refs(vanished)})})
    for finding in new:
        finding.last_scan = scan
    Finding.objects.for_org(ctx.org).bulk_create(new, batch_size=500)
    for finding in touched:
        finding.last_scan = scan
    for finding in touched + vanished:
        finding.updated_at = now  # bulk_update leaves auto_now alone
    Finding.objects.for_org(ctx.org).bulk_update(touched + vanished, [
        *_content_fields(), "last_seen", "last_scan", "status", "fixed_at", "status_reason",
        "version", "updated_at"], batch_size=500)
    return scan


# ---------------------------------------------------------------------------- triage


def _lock(ctx: Ctx, finding_id: uuid.UUID | str) -> Finding:
    return writes.get_for_update(Finding, ctx=ctx, pk=finding_id, label="Finding")


@transaction.atomic
def finding_update(*, ctx: Ctx, finding_id: uuid.UUID | str, data: dict[str, Any],
                   version: int | None) -> Finding:
    """Triage by hand: the status (open, fixed or false positive, which needs its reason),
    the reason and the owner. Acceptance goes through `finding_accept_request`."""
    ctx.require(PERM)
    data = writes.only(data, ("status", "status_reason", "owner"))
    finding = _lock(ctx, finding_id)
    writes.check_version(finding, version)
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")
    if isinstance(data.get("status_reason"), str):
        data["status_reason"] = data["status_reason"].strip()
    status = data.get("status")
    if status is not None and status != finding.status:
        if status not in HAND_STATUSES:
            raise ValidationError({"status": [
                "Set open, fixed or false_positive here; an acceptance is asked for with a "
                "justification and an expiry, and approved by a second person."
                if status in (FindingStatus.ACCEPTED, FindingStatus.ACCEPTANCE_REQUESTED)
                else f"Unknown status {status!r}; use open, fixed or false_positive."]})
        if status == FindingStatus.FALSE_POSITIVE and len(
                data.get("status_reason", "")) < approval.MIN_REASON:
            raise ValidationError({"status_reason": [
                "Say why it is a false positive (at least a short sentence): the next "
                "reviewer reads it instead of the scanner's output."]})
        data["fixed_at"] = timezone.now() if status == FindingStatus.FIXED else None
    elif status is None:
        data.pop("status", None)
    return writes.change(ctx=ctx, obj=finding, data=data, version=version)


def _expiry(expires_on: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    if expires_on is None:
        raise ValidationError({"expires_on": [
            "Required: the last day the exception holds (at most a year from today)."]})
    if expires_on <= today:
        raise ValidationError({"expires_on": ["The expiry must be after today."]})
    if expires_on > today + datetime.timedelta(days=MAX_ACCEPT_DAYS):
        raise ValidationError({"expires_on": [
            f"At most {MAX_ACCEPT_DAYS} days from today: an exception is looked at again "
            "at least once a year."]})
    return expires_on


@transaction.atomic
def finding_accept_request(*, ctx: Ctx, finding_id: uuid.UUID | str, version: int | None,
                           justification: str, expires_on: datetime.date | None) -> Finding:
    """Ask for an open finding to be accepted until `expires_on`, saying why; an owner or
    admin other than the one asking approves it."""
    ctx.require(PERM)
    finding = _lock(ctx, finding_id)
    writes.check_version(finding, version)
    if finding.status != FindingStatus.OPEN:
        raise ValidationError({"status": [
            f"Only an open finding can be put forward for acceptance; {finding.ref} is "
            f"{finding.get_status_display().lower()}."]})
    justification = (justification or "").strip()
    if len(justification) < approval.MIN_REASON:
        raise ValidationError({"justification": [
            "Say why the organisation can live with it for now and what limits the harm "
            "meanwhile (at least a short sentence)."]})
    data = {"justification": justification, "expires_on": _expiry(expires_on),
            "approved_by": None, "approved_on": None, "reviewed_at": None,
            "review_comment": "", **approval.submission(ctx, FindingStatus.ACCEPTANCE_REQUESTED)}
    return writes.change(ctx=ctx, obj=finding, data=data, version=version)


def _in_review(finding: Finding) -> None:
    if finding.status != FindingStatus.ACCEPTANCE_REQUESTED:
        raise ValidationError({"status": [
            f"{finding.ref} is not awaiting approval of an acceptance (it is "
            f"{finding.get_status_display().lower()})."]})


@transaction.atomic
def finding_accept_approve(*, ctx: Ctx, finding_id: uuid.UUID | str, version: int | None,
                           comment: str = "") -> Finding:
    """Approve the acceptance asked for: a named owner or admin who did not ask for it."""
    ctx.require(APPROVE_PERM)
    approval.require_person(ctx, "An acceptance", "approved")
    finding = _lock(ctx, finding_id)
    writes.check_version(finding, version)
    _in_review(finding)
    approval.require_second_person(ctx, finding)  # type: ignore[arg-type]
    if finding.expires_on is not None and finding.expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": [
            "This acceptance would already have expired: send it back so it is asked for "
            "again with a later expiry."]})
    data = approval.approval(ctx, FindingStatus.ACCEPTED, timezone.localdate(), comment)
    data.pop("reviewed_by")
    return writes.change(ctx=ctx, obj=finding, data=data, version=version)


@transaction.atomic
def finding_accept_return(*, ctx: Ctx, finding_id: uuid.UUID | str, version: int | None,
                          comment: str) -> Finding:
    """Refuse the acceptance asked for, saying why: the finding is open again."""
    ctx.require(APPROVE_PERM)
    approval.require_person(ctx, "An acceptance", "refused")
    finding = _lock(ctx, finding_id)
    writes.check_version(finding, version)
    _in_review(finding)
    reason = approval.return_reason(comment)
    return writes.change(ctx=ctx, obj=finding, version=version, data={
        "status": FindingStatus.OPEN, "submitted_by": None, "submitted_at": None,
        "reviewed_at": timezone.now(), "review_comment": reason})


@transaction.atomic
def acceptances_lapse(*, ctx: Ctx, today: datetime.date | None = None) -> list[Finding]:
    """Accepted findings whose exception has expired become open again (the daily upkeep);
    each change is logged on the finding."""
    today = today or timezone.localdate()
    lapsed = []
    for finding in (Finding.objects.for_org(ctx.org).select_for_update()
                    .filter(status=FindingStatus.ACCEPTED, expires_on__lt=today)
                    .order_by("number")):
        lapsed.append(writes.change(ctx=ctx, obj=finding, version=finding.version, data={
            "status": FindingStatus.OPEN,
            "status_reason": f"The acceptance expired on {finding.expires_on:%Y-%m-%d}."}))
    return lapsed


# ---------------------------------------------------------------------------- raising


RISK_FIELDS = ("title", "description", "owner", "inherent_likelihood", "inherent_impact",
               "category")
NC_FIELDS = ("title", "description", "owner", "severity", "requirement")


@transaction.atomic
def finding_raise_risk(*, ctx: Ctx, finding_id: uuid.UUID | str,
                       data: dict[str, Any] | None = None) -> Risk:
    """Add a risk to the register from a finding (security, on its AI system, tagged with
    its OWASP LLM entry) and link them; fields given in `data` override what the finding
    suggests."""
    ctx.require(PERM)
    ctx.require("risks.change")
    data = writes.only({k: v for k, v in (data or {}).items() if v not in (None, "")},
                       RISK_FIELDS)
    finding = _lock(ctx, finding_id)
    if finding.risk_id is not None:
        raise Conflict(f"{finding.ref} already raised a risk: open it from the finding.")
    system = AISystem.objects.for_org(ctx.org).get(pk=finding.ai_system_id)
    risk = risk_create(ctx=ctx, data={
        "title": finding.title, "description": finding.description,
        "category": RiskCategory.SECURITY,
        "risk_source": f"Security finding {finding.ref} ({finding.tool_name}, rule "
                       f"{finding.rule_id}) on {system.name}.",
        "ai_systems": [system.pk],
        **({"source_tags": [finding.owasp_llm]} if finding.owasp_llm else {}),
        **data})
    writes.change(ctx=ctx, obj=finding, data={"risk": risk}, version=finding.version)
    return risk


@transaction.atomic
def finding_raise_nonconformity(*, ctx: Ctx, finding_id: uuid.UUID | str,
                                data: dict[str, Any] | None = None) -> Nonconformity:
    """Raise a nonconformity from a finding (its origin, so each shows the other); critical
    and high findings make a major one unless `data` says otherwise."""
    ctx.require("improvement.raise")
    data = writes.only({k: v for k, v in (data or {}).items() if v not in (None, "")},
                       NC_FIELDS)
    finding = _lock(ctx, finding_id)
    if finding.nonconformity_id is not None:
        raise Conflict(f"{finding.ref} already raised a nonconformity: open it from the "
                       "finding.")
    severity = NcSeverity.MAJOR if finding.severity in ("critical", "high") else NcSeverity.MINOR
    nc = nonconformity_create(ctx=ctx, origin=finding, data={"severity": severity, **data})
    writes.change(ctx=ctx, obj=finding, data={"nonconformity": nc}, version=finding.version)
    return nc
