"""The EU AI Act documents of a high-risk AI system the organisation provides, drafted from
the record: the technical documentation (Annex IV) and the post-market monitoring plan
(Art. 72). Each section shows what the record holds and lists what is still missing, each gap
with the page where it is fixed. Nothing is stored: the drafts are read afresh each time, so
they are as current as the record.

Section headings and guidance are aims's own words; they follow the themes of Annex IV and
Art. 72 without reproducing the Regulation's text."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from aims.frameworks.selectors import reporting_frameworks
from aims.impact.selectors import system_standing
from aims.improvement.selectors import IncidentFilters, incident_list
from aims.inventory.selectors import (
    ai_system_get,
    deployment_approval_current,
    lifecycle_record_list,
    resources_for_system,
    system_change_list,
)
from aims.objectives.selectors import MonitorFilters, monitor_list
from aims.orgs.context import Ctx
from aims.risks.selectors import RiskFilters, risk_list
from aims.suppliers.selectors import suppliers_for_system

TECHNICAL_FILE = "technical-file"
MONITORING_PLAN = "monitoring-plan"
KINDS = {
    TECHNICAL_FILE: "Technical documentation (EU AI Act, Annex IV)",
    MONITORING_PLAN: "Post-market monitoring plan (EU AI Act, Art. 72)",
}
SUPPLIER_LIMIT = 50  # parties shown per system; a system has a handful


@dataclass
class Gap:
    """Something the record does not yet hold, and where to add it."""

    text: str
    url: str = ""


@dataclass
class Section:
    key: str
    title: str
    guidance: str
    # (label, value) rows and item lists the section shows; values are plain text.
    facts: list[tuple[str, str]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    missing: list[Gap] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class Draft:
    kind: str
    title: str
    system: Any
    applies: bool
    why: str
    sections: list[Section]
    drafted_at: Any

    @property
    def complete_count(self) -> int:
        return sum(s.complete for s in self.sections)

    @property
    def complete(self) -> bool:
        return all(s.complete for s in self.sections)


def applies_to(system) -> tuple[bool, str]:
    """Whether the Regulation expects these documents of the organisation for `system`: it is
    high-risk and the organisation provides it."""
    if system.eu_risk_class != "high":
        return False, ("The system is not classified as high-risk, so the EU AI Act does not "
                       "ask for these documents; the draft shows what the record holds anyway.")
    if "provider" not in (system.roles or []):
        return False, ("Your organisation is not the system's provider: the provider draws up "
                       "these documents. Ask the provider for them; the draft shows what your "
                       "record holds.")
    return True, ("High-risk system your organisation provides: the EU AI Act expects both "
                  "documents before it is placed on the market and kept up to date after.")


class _Urls:
    def __init__(self, ctx: Ctx, system) -> None:
        self.slug = ctx.org.slug
        self.system = system

    def system_edit(self) -> str:
        return reverse("inventory:edit", args=[self.slug, self.system.pk])

    def __call__(self, name: str, *args) -> str:
        return reverse(name, args=[self.slug, *args])


def _text(value: str) -> str:
    return (value or "").strip()


def _system_sections(ctx: Ctx, system, url: _Urls) -> dict[str, Section]:
    """The sections that read the AI system and the records about it (shared by both
    documents)."""
    s = system
    description = Section(
        "description", "General description and intended purpose",
        "What the system is, what it is for, who runs it and where it is used.",
        facts=[("Name", s.name), ("Intended purpose", _text(s.intended_purpose)),
               ("How it works", _text(s.description)),
               ("Owner", s.owner.display_name if s.owner else ""),
               ("Business unit", _text(s.business_unit)),
               ("Where and how it runs", _text(s.deployment_context)),
               ("Who its outputs affect", _text(s.affected_parties))])
    for label, value in (("How it works", s.description),
                         ("Where and how it runs", s.deployment_context),
                         ("Who its outputs affect", s.affected_parties)):
        if not _text(value):
            description.missing.append(Gap(f"Describe “{label.lower()}” on the AI system "
                                           f"record.", url.system_edit()))
    if s.owner_id is None:
        description.missing.append(Gap("Name the member accountable for the system.",
                                       url.system_edit()))
    roles = Section(
        "roles", "Roles toward the system",
        "The organisation's roles (provider, deployer…) and the parts others supply.",
        facts=[("Your roles", ", ".join(s.role_labels)),
               ("EU AI Act risk class", s.get_eu_risk_class_display()),
               ("Components supplied by others", _text(s.third_party_components))])
    if "provider" not in s.roles:
        roles.missing.append(Gap("The record does not name your organisation as provider.",
                                 url.system_edit()))
    return {"description": description, "roles": roles}


def _lifecycle(ctx: Ctx, system, url: _Urls) -> Section:
    records = list(lifecycle_record_list(ctx=ctx, system=system)[:20])
    approval = deployment_approval_current(ctx=ctx, system=system)
    sec = Section(
        "lifecycle", "Development and lifecycle",
        "How the system moved from design to use, and who approved it going live.",
        facts=[("Lifecycle stage", system.get_lifecycle_stage_display()),
               ("Standing deployment approval",
                f"{approval.approved_at:%Y-%m-%d} by "
                f"{approval.approved_by.display_name if approval.approved_by else '—'}"
                if approval else "")],
        items=[{"label": str(r), "detail": f"{r.changed_at:%Y-%m-%d}"
                + (f" — {r.note}" if r.note else "")} for r in records])
    if not records:
        sec.missing.append(Gap("Record the lifecycle moves of the system.",
                               url("inventory:lifecycle", system.pk)))
    if system.lifecycle_stage == "deployed" and approval is None:
        sec.missing.append(Gap("A deployed high-risk system needs a standing deployment "
                               "approval.", url("inventory:detail", system.pk)))
    return sec


def _data(ctx: Ctx, system, url: _Urls) -> Section:
    data = [r for r in resources_for_system(ctx=ctx, system=system) if r.kind == "data"]
    sec = Section(
        "data", "Data resources",
        "The data the system is trained, tested or run on: origin, quality and retention.",
        items=[{"label": r.name, "url": url("inventory:resource_detail", r.pk),
                "detail": f"Provenance: {_text(r.data_provenance) or '—'}. Quality: "
                          f"{_text(r.quality_notes) or '—'}. Kept: {_text(r.retention) or '—'}."}
               for r in data])
    if not data:
        sec.missing.append(Gap("Link the data resources the system uses.",
                               url("inventory:resource_create")))
    for r in data:
        if not _text(r.quality_notes):
            sec.missing.append(Gap(f"Say how the quality of “{r.name}” is checked.",
                                   url("inventory:resource_edit", r.pk)))
    return sec


def _risks(ctx: Ctx, system, url: _Urls) -> Section:
    risks = list(risk_list(ctx=ctx, filters=RiskFilters(ai_system=str(system.pk)))[:100])
    sec = Section(
        "risks", "Risks and their treatment",
        "The risks identified for the system and what was decided about each.",
        items=[{"label": f"{r.ref} {r.title}", "url": url("risks:detail", r.pk),
                "detail": (f"Treatment: {r.get_treatment_option_display()}"
                           if r.treatment_option else "No treatment decided")
                + (f" — {r.treatment_rationale}" if _text(r.treatment_rationale) else "")}
               for r in risks])
    if not risks:
        sec.missing.append(Gap("Identify and rate the risks of the system.",
                               url("risks:create")))
    for r in risks:
        if not r.treatment_option:
            sec.missing.append(Gap(f"Decide the treatment of {r.ref}.",
                                   url("risks:edit", r.pk)))
    return sec


def _impact(ctx: Ctx, system, url: _Urls) -> Section:
    standing = system_standing(ctx=ctx, system=system)
    current = standing.current
    sec = Section(
        "impact", "Impact assessment",
        "The assessment of the system's effects on people, groups and society.",
        facts=[("Standing assessment",
                f"Version {current.number}, {current.state_label}" if current else ""),
               ("Conclusion", _text(current.conclusion) if current else "")])
    if current is None:
        sec.missing.append(Gap("Complete and approve an impact assessment of the system.",
                               url("impact:system", system.pk)))
    elif current.reassessment_reason:
        sec.missing.append(Gap(f"Re-assess: {current.reassessment_reason}",
                               url("impact:system", system.pk)))
    return sec


def _oversight(system, url: _Urls) -> Section:
    sec = Section(
        "oversight", "Human oversight",
        "How people watch, correct, override or stop the system's outputs.",
        facts=[("Oversight", _text(system.human_oversight))])
    if not _text(system.human_oversight):
        sec.missing.append(Gap("Describe how people oversee the system.", url.system_edit()))
    return sec


def _monitors(ctx: Ctx, system) -> list:
    return list(monitor_list(ctx=ctx, filters=MonitorFilters(ai_system=str(system.pk)))[:100])


def _monitoring(monitors: list, url: _Urls, system) -> Section:
    sec = Section(
        "monitoring", "Performance monitoring",
        "What is measured about the system in use, how often, and its latest result.",
        items=[{"label": f"{m.ref} {m.name}", "url": url("objectives:monitor_detail", m.pk),
                "detail": f"{m.get_indicator_display()}, {m.get_frequency_display().lower()}"
                          + (f"; latest {m.latest_value} {m.unit} on {m.latest_on:%Y-%m-%d}"
                             if m.latest_on else "; no result yet")}
               for m in monitors])
    if not monitors:
        sec.missing.append(Gap("Set up at least one monitor of the system's performance.",
                               url("objectives:monitor_create")))
    return sec


def _changes(ctx: Ctx, system, url: _Urls) -> Section:
    changes = list(system_change_list(ctx=ctx, system=system)[:50])
    return Section(
        "changes", "Changes over the lifecycle",
        "The change log of the system; significant changes trigger a new impact assessment.",
        items=[{"label": f"{c.changed_on:%Y-%m-%d}"
                         + (" (significant)" if c.significant else ""),
                "detail": c.description} for c in changes])


def _suppliers(ctx: Ctx, system, url: _Urls) -> Section:
    parties = suppliers_for_system(ctx=ctx, system=system, limit=SUPPLIER_LIMIT)
    sec = Section(
        "suppliers", "Suppliers and third-party components",
        "The parties that supply models, data or services the system depends on.",
        items=[{"label": p.name, "url": url("suppliers:detail", p.pk),
                "detail": p.get_kind_display()} for p in parties])
    if _text(system.third_party_components) and not parties:
        sec.missing.append(Gap("The system uses components supplied by others: record their "
                               "suppliers.", url("suppliers:create")))
    return sec


def _standards(ctx: Ctx, url: _Urls) -> Section:
    frameworks = reporting_frameworks(ctx=ctx)
    sec = Section(
        "standards", "Standards and specifications applied",
        "The standards and frameworks the organisation applies to the system. ISO/IEC 42001 "
        "is not a harmonised standard under the EU AI Act: list any harmonised standards or "
        "common specifications you apply as well.",
        items=[{"label": "ISO/IEC 42001 (the AI management system run in aims)", "detail": ""}]
        + [{"label": f"{f.name} {f.version}".strip(), "detail": f.title}
           for f in frameworks if f.code != "iso42001"])
    if not [f for f in frameworks if f.code != "iso42001"]:
        sec.missing.append(Gap("Choose the frameworks you report against besides ISO/IEC "
                               "42001.", url("frameworks:index")))
    return sec


def _incidents(ctx: Ctx, system, url: _Urls) -> Section:
    incidents = list(incident_list(ctx=ctx, filters=IncidentFilters(
        ai_system=str(system.pk)))[:50])
    return Section(
        "incidents", "Incidents and serious-incident reporting",
        "Incidents are recorded in the incident register; a serious one on this system is "
        "reported to the market surveillance authority within 2, 10 or 15 days of awareness, "
        "with the clock shown on the incident.",
        items=[{"label": f"{i.ref} {i.title}", "url": url("improvement:incident_detail", i.pk),
                "detail": (f"Serious ({i.get_serious_kind_display().split(' (')[0].lower()}), "
                           if i.serious_kind else "") + i.get_status_display()}
               for i in incidents])


def _responsibilities(monitors: list, system, url: _Urls) -> Section:
    sec = Section(
        "responsibilities", "Who does what",
        "Who runs the plan: the system's owner and the people who measure and analyse each "
        "monitor.",
        facts=[("Accountable for the system",
                system.owner.display_name if system.owner else "")],
        items=[{"label": f"{m.ref} {m.name}",
                "detail": f"measured by {m.owner.display_name if m.owner else '—'}, analysed by "
                          f"{m.analyst.display_name if m.analyst else '—'}"} for m in monitors])
    if system.owner_id is None:
        sec.missing.append(Gap("Name the member accountable for the system.", url.system_edit()))
    for m in monitors:
        if m.owner_id is None or m.analyst_id is None:
            sec.missing.append(Gap(f"Name who measures and who analyses {m.ref}.",
                                   url("objectives:monitor_edit", m.pk)))
    return sec


def _thresholds(monitors: list, url: _Urls) -> Section:
    sec = Section(
        "thresholds", "When to act",
        "The limits beyond which a result calls for action.",
        items=[{"label": f"{m.ref} {m.name}",
                "detail": f"below {m.lower_threshold if m.lower_threshold is not None else '—'}"
                          f", above {m.upper_threshold if m.upper_threshold is not None else '—'}"
                          f" {m.unit}"} for m in monitors])
    for m in monitors:
        if m.lower_threshold is None and m.upper_threshold is None:
            sec.missing.append(Gap(f"Set a threshold on {m.ref}, so a breach is noticed.",
                                   url("objectives:monitor_edit", m.pk)))
    return sec


def draft_get(*, ctx: Ctx, system_id: uuid.UUID | str, kind: str) -> Draft:
    """The technical file or the post-market monitoring plan of one of ctx.org's AI systems,
    drafted from the record now (a bounded number of queries whatever the record's size)."""
    system = ai_system_get(ctx=ctx, system_id=system_id)
    url = _Urls(ctx, system)
    applies, why = applies_to(system)
    shared = _system_sections(ctx, system, url)
    if kind == TECHNICAL_FILE:
        sections = [shared["description"], shared["roles"], _lifecycle(ctx, system, url),
                    _data(ctx, system, url), _risks(ctx, system, url),
                    _impact(ctx, system, url), _oversight(system, url),
                    _monitoring(_monitors(ctx, system), url, system),
                    _changes(ctx, system, url), _suppliers(ctx, system, url),
                    _standards(ctx, url)]
    else:
        monitors = _monitors(ctx, system)
        sections = [shared["description"], _monitoring(monitors, url, system),
                    _thresholds(monitors, url), _responsibilities(monitors, system, url),
                    _incidents(ctx, system, url), _risks(ctx, system, url),
                    _changes(ctx, system, url)]
    return Draft(kind=kind, title=KINDS[kind], system=system, applies=applies, why=why,
                 sections=sections, drafted_at=timezone.localtime())
