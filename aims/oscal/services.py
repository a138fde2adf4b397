"""Bringing an OSCAL profile in as Statement of Applicability decisions: all or nothing.

A profile includes and excludes controls of a catalog. Read against ISO/IEC 42001, each
Annex A control it includes becomes applicable and each it excludes becomes excluded; the
inclusion reason and the justification come from aims' own props (as aims exports them), so
an exported SoA comes back as it was. Controls the profile does not select are left as they
are. Every decision goes through the SoA's own service (the same rules as the web form), and
a dry run makes the very same writes and then rolls them back, so what it reports is exactly
what an import would do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from aims.activity.services import record
from aims.compliance.models import InclusionReason
from aims.compliance.selectors import soa_list
from aims.compliance.services import compliance_item_update
from aims.core.errors import DomainError, ValidationError
from aims.orgs.context import Ctx
from aims.oscal.ids import PROP_NS, control_id
from aims.oscal.validation import parse_upload

PERM = "compliance.change"
DEFAULT_REASON = InclusionReason.OTHER  # for an included control the profile gives no reason


@dataclass
class Decision:
    """What the profile decides for one Annex A control, and what it changes."""

    ref: str
    title: str
    before: dict[str, Any]
    after: dict[str, Any]
    problem: str = ""

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def applicable_label(self) -> str:
        return {True: "Applicable", False: "Excluded", None: "Not decided"}[self.after["applicable"]]

    @property
    def was_label(self) -> str:
        return {True: "Applicable", False: "Excluded", None: "Not decided"}[self.before["applicable"]]


@dataclass
class ProfileReport:
    """The outcome of reading a profile against the organisation's SoA."""

    title: str
    decisions: list[Decision] = field(default_factory=list)
    untouched: int = 0  # controls the profile does not select
    notes: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def changes(self) -> list[Decision]:
        return [d for d in self.decisions if d.changed]

    @property
    def problems(self) -> list[Decision]:
        return [d for d in self.decisions if d.problem]

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title, "applied": self.applied,
            "selected": len(self.decisions), "changed": len(self.changes),
            "untouched": self.untouched, "notes": self.notes,
            "decisions": [{"ref": d.ref, "title": d.title, "before": d.before, "after": d.after,
                           "changed": d.changed, "problem": d.problem}
                          for d in self.decisions],
        }


def _ids(selections: list[dict] | None) -> list[str]:
    return [i for sel in selections or [] for i in sel.get("with-ids", [])]


def _aims_props(profile: dict) -> dict[str, dict[str, str]]:
    """{control id: {prop name: value}} of aims' own props in the profile's alterations."""
    found: dict[str, dict[str, str]] = {}
    for alter in profile.get("modify", {}).get("alters", []):
        for add in alter.get("adds", []):
            for prop in add.get("props", []):
                if prop.get("ns") == PROP_NS:
                    found.setdefault(alter["control-id"], {})[prop["name"]] = prop["value"]
    return found


def _decide(profile: dict, tokens: dict[str, str], props: dict[str, dict[str, str]]
            ) -> tuple[dict[str, bool], list[str]]:
    """({ISO ref: applicable}, notes) from the profile's imports. A control excluded only
    because aims had to select something and marked it undecided is left out."""
    wanted: dict[str, bool] = {}
    undecided: set[str] = set()
    unknown: list[str] = []
    include_all = False
    for imp in profile["imports"]:
        include_all = include_all or "include-all" in imp
        for key, applicable in (("include-controls", True), ("exclude-controls", False)):
            for token in _ids(imp.get(key)):
                if token in tokens and props.get(token, {}).get("applicable") == "undecided":
                    undecided.add(tokens[token])
                elif token in tokens:
                    wanted[tokens[token]] = applicable
                else:
                    unknown.append(token)
        if any("matching" in sel for sel in imp.get("include-controls", [])
               + imp.get("exclude-controls", [])):
            raise ValidationError({"file": [
                "The profile selects controls by pattern (matching); name each control by id "
                "(with-ids) instead."]})
    if unknown:
        raise ValidationError({"file": [
            "Not an ISO/IEC 42001 Annex A control: " + ", ".join(sorted(set(unknown))[:20])
            + ". Name controls as aims' catalog does, e.g. annex-a.6.2.4 (or A.6.2.4)."]})
    notes = []
    if include_all:
        for ref in tokens.values():
            if ref not in undecided:
                wanted.setdefault(ref, True)
        notes.append("The profile includes every control but those it excludes.")
    return wanted, notes


@transaction.atomic
def profile_import(*, ctx: Ctx, content: bytes, dry_run: bool) -> ProfileReport:
    """Set ctx.org's SoA decisions from an OSCAL profile (all or nothing). With `dry_run`,
    the report says what would change and nothing is kept."""
    ctx.require(PERM)
    profile = parse_upload(content, model="profile")
    items = {i.requirement.ref: i for i in soa_list(ctx=ctx)}
    tokens = {control_id(ref): ref for ref in items}
    tokens |= {ref: ref for ref in items} | {ref.lower(): ref for ref in items}
    props = _aims_props(profile)
    wanted, notes = _decide(profile, tokens, props)
    report = ProfileReport(title=profile["metadata"]["title"], notes=notes,
                           untouched=len(items) - len(wanted))
    defaulted = []
    for ref, item in items.items():
        if ref not in wanted:
            continue
        own = props.get(control_id(ref), {}) | props.get(ref, {})
        applicable = wanted[ref]
        after = {"applicable": applicable,
                 "inclusion_reason": own.get("inclusion-reason", "") if applicable else "",
                 "justification": own.get("justification", item.justification)}
        if applicable and not after["inclusion_reason"]:
            after["inclusion_reason"] = item.inclusion_reason or DEFAULT_REASON
            if not item.inclusion_reason:
                defaulted.append(ref)
        before = {"applicable": item.applicable, "inclusion_reason": item.inclusion_reason,
                  "justification": item.justification}
        decision = Decision(ref=ref, title=item.requirement.title, before=before, after=after)
        report.decisions.append(decision)
        if not decision.changed:
            continue
        try:
            with transaction.atomic():
                compliance_item_update(ctx=ctx, ref=ref, version=item.version, data=after)
        except DomainError as exc:
            decision.problem = exc.message
    if defaulted:
        report.notes.append(f"No inclusion reason given for {', '.join(defaulted)}: recorded as "
                            f"\"{DEFAULT_REASON.label}\".")
    if report.problems and not dry_run:
        raise ValidationError({"file": [
            "Nothing was imported: " + "; ".join(f"{d.ref}: {d.problem}"
                                                  for d in report.problems[:20])]})
    if dry_run:
        transaction.set_rollback(True)
        return report
    record(ctx=ctx, action="oscal_profile_import", obj=ctx.org, changes={
        "profile": report.title, "selected": len(report.decisions),
        "changed": [d.ref for d in report.changes]})
    report.applied = True
    return report
