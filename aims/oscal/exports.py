"""The organisation's AIMS as OSCAL 1.1.3 JSON: six documents, read through the selectors.

catalog             ISO/IEC 42001 clauses and Annex A controls, with aims' own guidance
profile             the Statement of Applicability: included and excluded controls, and why
ssp                 the AIMS as a system: AI systems as components, one implemented
                    requirement per applicable control
assessment-plan     the internal audits: what each looks at, and when
assessment-results  the internal audits' results: observations (with evidence hashes), findings
poam                open nonconformities with their corrective actions, and risk treatment
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from aims.audits import selectors as audits
from aims.audits.models import FINDINGS, AuditStatus, LineResult
from aims.catalog import selectors as catalog
from aims.compliance import selectors as compliance
from aims.context.selectors import scope_current
from aims.frameworks.selectors import own_framework_get
from aims.improvement import selectors as improvement
from aims.improvement.models import NcStatus
from aims.inventory.selectors import ai_system_list
from aims.orgs.context import Ctx
from aims.oscal.ids import PROP_NS, control_id, one_line, stable_uuid
from aims.oscal.validation import OSCAL_VERSION
from aims.risks import selectors as risks
from aims.risks.models import ActionStatus, RiskStatus

# The document each model's export is, by the name the CLI, the API and the web use.
ROOT = {
    "catalog": "catalog",
    "profile": "profile",
    "ssp": "system-security-plan",
    "assessment-plan": "assessment-plan",
    "assessment-results": "assessment-results",
    "poam": "plan-of-action-and-milestones",
}
MODELS = tuple(ROOT)
# File names other documents import each other by (they travel together).
FILES = {m: f"{m}.json" for m in MODELS}
CONTROL_OWNER = "control-owner"
# aims' implementation status → OSCAL's implementation-status state.
STATE = {"implemented": "implemented", "partial": "partial", "planned": "planned",
         "not_started": "planned"}


def _prop(name: str, value: Any, *, ns: bool = True) -> dict[str, str]:
    prop = {"name": name, "value": one_line(str(value)) or "-"}
    if ns:
        prop["ns"] = PROP_NS
    return prop


def _stamp(value: datetime.date | datetime.datetime | None) -> str | None:
    """An OSCAL date-time with a time zone (dates read as midnight UTC)."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _metadata(ctx: Ctx, title: str, *, parties: dict[str, str] | None = None,
              roles: bool = False) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "title": one_line(title),
        "last-modified": _stamp(timezone.now()),
        "version": timezone.localdate().isoformat(),
        "oscal-version": OSCAL_VERSION,
    }
    if roles:
        meta["roles"] = [{"id": CONTROL_OWNER, "title": "Control owner",
                          "description": "The member accountable for a control in the AIMS."}]
    org_uuid = stable_uuid("org", ctx.org.pk)
    meta["parties"] = [{"uuid": org_uuid, "type": "organization", "name": one_line(ctx.org.name)}]
    meta["parties"] += [{"uuid": uid, "type": "person", "name": one_line(name) or "Member"}
                        for uid, name in sorted((parties or {}).items(), key=lambda p: p[1])]
    meta["props"] = [_prop("generator", "aims")]
    return meta


def _party(parties: dict[str, str], user) -> str | None:
    """The UUID of `user` as a party, remembered in `parties` for the metadata."""
    if user is None:
        return None
    uid = stable_uuid("user", user.pk)
    parties[uid] = str(user)
    return uid


def _back_link(model: str) -> dict[str, Any]:
    """A back-matter resource pointing at another exported document."""
    return {"uuid": stable_uuid("document", model), "title": f"aims OSCAL {ROOT[model]}",
            "rlinks": [{"href": FILES[model], "media-type": "application/oscal+json"}]}


# ---------------------------------------------------------------------------- catalog


def _control(req, children: dict[Any, list]) -> dict[str, Any]:
    control: dict[str, Any] = {
        "id": control_id(req.ref), "class": req.kind, "title": one_line(req.title),
        "props": [_prop("label", req.ref, ns=False)],
    }
    parts = []
    if req.description.strip():
        parts.append({"id": f"{control_id(req.ref)}_gdn", "name": "guidance",
                      "prose": req.description.strip()})
    for n, question in enumerate(req.questions or [], 1):
        text = question if isinstance(question, str) else question.get("text", "")
        if text.strip():
            parts.append({"id": f"{control_id(req.ref)}_obj.{n}", "name": "assessment-objective",
                          "prose": text.strip()})
    if parts:
        control["parts"] = parts
    if kids := children.get(req.pk):
        control["controls"] = [_control(k, children) for k in kids]
    return control


def catalog_document(*, ctx: Ctx) -> dict[str, Any]:
    """ISO/IEC 42001: each top clause and Annex A objective a group, everything under it a
    control, with the printed number as its label and aims' own guidance and questions."""
    fw = catalog.framework_get(code=catalog.ISO42001)
    reqs = list(catalog.requirement_list(framework=fw))
    children: dict[Any, list] = {}
    for r in reqs:
        children.setdefault(r.parent_id, []).append(r)
    groups = []
    for top in children.get(None, []):
        group: dict[str, Any] = {
            "id": control_id(top.ref), "class": top.kind, "title": one_line(top.title),
            "props": [_prop("label", top.ref, ns=False)],
        }
        if top.description.strip():
            group["parts"] = [{"id": f"{control_id(top.ref)}_gdn", "name": "overview",
                               "prose": top.description.strip()}]
        group["controls"] = [_control(r, children) for r in children.get(top.pk, [])]
        groups.append(group)
    meta = _metadata(ctx, fw.title or fw.name)
    meta["version"] = f"{fw.version} (data {fw.data_version})"
    meta["remarks"] = fw.attribution
    return {"uuid": stable_uuid("catalog", fw.code), "metadata": meta, "groups": groups}


# ---------------------------------------------------------------------------- own catalogs


def _own_node(req, children: dict[Any, list]) -> dict[str, Any]:
    node: dict[str, Any] = {"id": req.ref, "title": one_line(req.title) or req.ref}
    if req.label:
        node["props"] = [_prop("label", req.label, ns=False)]
    if req.description.strip():
        node["parts"] = [{"id": f"{req.ref}_smt", "name": "statement",
                          "prose": req.description.strip()}]
    kids = children.get(req.pk, [])
    if req.kind == "group" and (groups := [_own_node(k, children) for k in kids
                                           if k.kind == "group"]):
        node["groups"] = groups
    if controls := [_own_node(k, children) for k in kids if k.kind != "group"]:
        node["controls"] = controls
    return node


def own_catalog_document(*, ctx: Ctx, code: str) -> dict[str, Any]:
    """One of ctx.org's own frameworks (brought in from an OSCAL catalog) as an OSCAL catalog
    again: its current groups and controls with their ids, titles, labels and text (retired
    controls left out)."""
    fw = own_framework_get(ctx=ctx, code=code)
    reqs = [r for r in catalog.requirement_list(framework=fw) if not r.retired_in]
    children: dict[Any, list] = {}
    for r in reqs:
        children.setdefault(r.parent_id, []).append(r)
    top = children.get(None, [])
    meta = _metadata(ctx, fw.title or fw.name)
    meta["version"] = fw.version or "1"
    doc: dict[str, Any] = {"uuid": stable_uuid("own-catalog", fw.pk), "metadata": meta}
    if groups := [_own_node(r, children) for r in top if r.kind == "group"]:
        doc["groups"] = groups
    if controls := [_own_node(r, children) for r in top if r.kind != "group"]:
        doc["controls"] = controls
    return doc


def own_catalog_export(*, ctx: Ctx, code: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of one own framework as OSCAL catalog JSON."""
    content = json.dumps({"catalog": own_catalog_document(ctx=ctx, code=code)}, indent=2,
                         ensure_ascii=False)
    return content.encode("utf-8") + b"\n", "application/json", f"{ctx.org.slug}-{code}.json"


# ---------------------------------------------------------------------------- profile


def profile_document(*, ctx: Ctx) -> dict[str, Any]:
    """The SoA: applicable controls included and excluded ones excluded, each decision's
    inclusion reason and justification as aims props (undecided controls are left out)."""
    items = list(compliance.soa_list(ctx=ctx))
    included = [i for i in items if i.applicable is True]
    excluded = [i for i in items if i.applicable is False]
    if not included:
        # OSCAL needs a selection: with nothing applicable, include all and exclude the rest,
        # undecided controls marked as such (so an import leaves them undecided).
        excluded = [i for i in items if i.applicable is not True]
    alters = []
    for item in included + excluded:
        props = [_prop("applicable", {True: "yes", False: "no", None: "undecided"}[
            item.applicable])]
        if item.inclusion_reason:
            props.append(_prop("inclusion-reason", item.inclusion_reason))
        if item.justification.strip():
            props.append(_prop("justification", item.justification))
        alters.append({"control-id": control_id(item.requirement.ref),
                       "adds": [{"position": "ending", "props": props}]})
    source = _back_link("catalog")
    imported: dict[str, Any] = {"href": f"#{source['uuid']}"}
    if included:
        imported["include-controls"] = [{"with-ids": [control_id(i.requirement.ref)
                                                      for i in included]}]
    else:
        imported["include-all"] = {}
    if excluded:
        imported["exclude-controls"] = [{"with-ids": [control_id(i.requirement.ref)
                                                      for i in excluded]}]
    doc: dict[str, Any] = {
        "uuid": stable_uuid("profile", ctx.org.pk),
        "metadata": _metadata(ctx, f"Statement of Applicability of {ctx.org.name}"),
        "imports": [imported],
        "merge": {"as-is": True},
    }
    if alters:
        doc["modify"] = {"alters": alters}
    doc["back-matter"] = {"resources": [source]}
    return doc


# ---------------------------------------------------------------------------- ssp


def _narrative(item) -> str:
    if item.notes.strip():
        return item.notes.strip()
    return (f"{item.requirement.ref} is {item.get_status_display().lower()} in the AIMS; "
            "no implementation notes are recorded yet.")


def ssp_document(*, ctx: Ctx) -> dict[str, Any]:
    """The AIMS as the system: its scope, the AI systems in it as components, and an
    implemented requirement for each applicable control and each clause."""
    scope = scope_current(ctx=ctx)
    systems = list(ai_system_list(ctx=ctx))
    parties: dict[str, str] = {}
    this_system = stable_uuid("aims", ctx.org.pk)
    components = [{
        "uuid": this_system, "type": "this-system",
        "title": f"AI management system of {one_line(ctx.org.name)}",
        "description": (scope.statement.strip() if scope and scope.statement.strip()
                        else "The AI management system; its scope is not recorded yet."),
        "status": {"state": "operational"},
    }]
    for s in systems:
        component: dict[str, Any] = {
            "uuid": stable_uuid("ai_system", s.pk), "type": "software",
            "title": one_line(s.name),
            "description": s.intended_purpose.strip() or s.description.strip() or s.name,
            "props": [_prop("lifecycle-stage", s.lifecycle_stage),
                      *[_prop("ai-role", role) for role in (s.roles or [])]],
            "status": {"state": "disposition" if s.lifecycle_stage == "retired"
                       else "operational"},
        }
        if owner := _party(parties, s.owner):
            component["responsible-roles"] = [{"role-id": "asset-owner", "party-uuids": [owner]}]
        components.append(component)
    requirements = []
    items = [*compliance.clause_list(ctx=ctx), *compliance.soa_list(ctx=ctx)]
    for item in items:
        if item.applicable is False or (item.requirement.kind != "clause"
                                        and item.applicable is None):
            continue
        uid = stable_uuid("compliance_item", item.pk)
        by_component: dict[str, Any] = {
            "component-uuid": this_system, "uuid": stable_uuid("implementation", item.pk),
            "description": _narrative(item),
            "implementation-status": {"state": STATE[item.status]},
        }
        req: dict[str, Any] = {
            "uuid": uid, "control-id": control_id(item.requirement.ref),
            "props": [_prop("implementation-status", item.status)],
            "by-components": [by_component],
        }
        if owner := _party(parties, item.owner):
            roles = [{"role-id": CONTROL_OWNER, "party-uuids": [owner]}]
            req["responsible-roles"] = roles
            by_component["responsible-roles"] = roles
        if item.inclusion_reason:
            req["props"].append(_prop("inclusion-reason", item.inclusion_reason))
        requirements.append(req)
    meta = _metadata(ctx, f"AI management system of {ctx.org.name}", parties=parties, roles=True)
    meta["roles"].append({"id": "asset-owner", "title": "AI system owner"})
    return {
        "uuid": stable_uuid("ssp", ctx.org.pk),
        "metadata": meta,
        "import-profile": {"href": FILES["profile"]},
        "system-characteristics": {
            "system-ids": [{"identifier-type": PROP_NS, "id": str(ctx.org.pk)}],
            "system-name": one_line(ctx.org.name),
            "description": (scope.statement.strip() if scope and scope.statement.strip()
                            else "The scope of the AIMS is not recorded yet."),
            "system-information": {"information-types": [{
                "title": "Information processed by the AI systems in scope",
                "description": "; ".join(f"{s.name}: {s.intended_purpose.strip()}"
                                         for s in systems) or "No AI system is recorded yet.",
            }]},
            "status": {"state": "operational"},
            "authorization-boundary": {"description": (
                scope.boundaries.strip() if scope and scope.boundaries.strip()
                else "The boundaries of the AIMS are not recorded yet.")},
        },
        "system-implementation": {
            "users": [{"uuid": stable_uuid("user-class", ctx.org.pk),
                       "title": "Members of the organisation",
                       "role-ids": [CONTROL_OWNER]}],
            "components": components,
        },
        "control-implementation": {
            "description": ("One implemented requirement per clause of ISO/IEC 42001 and per "
                            "applicable Annex A control, as the Statement of Applicability "
                            "decides."),
            "implemented-requirements": requirements,
        },
    }


# ---------------------------------------------------------------------------- audits


def _audits(ctx: Ctx) -> list:
    return [a for a in audits.audit_list(ctx=ctx) if a.status != AuditStatus.CANCELLED]


def _selection(refs) -> dict[str, Any]:
    ids = sorted({control_id(r) for r in refs})
    return ({"control-selections": [{"include-controls": [{"control-id": i} for i in ids]}]}
            if ids else {"control-selections": [{"include-all": {}}]})


def assessment_plan_document(*, ctx: Ctx) -> dict[str, Any]:
    """The internal audits as one plan: each audit a task with its dates, the requirements
    they look at, and the AI systems in their scope."""
    found = _audits(ctx)
    parties: dict[str, str] = {}
    tasks = []
    subjects: dict[str, str] = {}
    for a in found:
        task: dict[str, Any] = {
            "uuid": stable_uuid("audit", a.pk), "type": "action",
            "title": one_line(f"{a.ref} {a.title}"),
            "description": a.criteria.strip() or a.units.strip() or a.title,
            "props": [_prop("audit-status", a.status)],
        }
        start, end = a.actual_start or a.planned_start, a.actual_end or a.planned_end
        if start and end:
            task["timing"] = {"within-date-range": {"start": _stamp(start), "end": _stamp(end)}}
        elif start:
            task["timing"] = {"on-date": {"date": _stamp(start)}}
        if lead := _party(parties, a.lead_auditor):
            task["responsible-roles"] = [{"role-id": "lead-auditor", "party-uuids": [lead]}]
        tasks.append(task)
        for s in a.ai_systems.all():
            subjects[stable_uuid("ai_system", s.pk)] = s.name
    refs = {r.ref for a in found for r in a.requirements.all()}
    meta = _metadata(ctx, f"Internal audit plan of {ctx.org.name}", parties=parties)
    meta["roles"] = [{"id": "lead-auditor", "title": "Lead auditor"}]
    doc: dict[str, Any] = {
        "uuid": stable_uuid("assessment-plan", ctx.org.pk),
        "metadata": meta,
        "import-ssp": {"href": FILES["ssp"]},
        "reviewed-controls": _selection(refs),
    }
    if subjects:
        doc["assessment-subjects"] = [{"type": "component", "include-subjects": [
            {"subject-uuid": uid, "type": "component"} for uid in sorted(subjects)]}]
    if tasks:
        doc["tasks"] = tasks
    return doc


FINDING_STATE: dict[str, str] = {LineResult.CONFORMING: "satisfied", LineResult.OBSERVATION: "satisfied",
                 LineResult.OFI: "satisfied"}


def assessment_results_document(*, ctx: Ctx) -> dict[str, Any]:
    """One result per internal audit that has begun: an observation per assessed checklist
    line (with the SHA-256 of each file relied on, in the back matter) and a finding per
    line whose result is a finding."""
    parties: dict[str, str] = {}
    resources: dict[str, dict[str, Any]] = {}
    results = []
    for a in _audits(ctx):
        start = a.actual_start or a.planned_start
        if start is None or a.status == AuditStatus.PLANNED:
            continue
        observations, findings = [], []
        lines = list(audits.line_list(ctx=ctx, audit_id=a.pk))
        for line in lines:
            if line.result == LineResult.NOT_ASSESSED:
                continue
            evidence = []
            for ev in line.evidence.all():
                res_uuid = stable_uuid("evidence", ev.pk)
                resource: dict[str, Any] = {"uuid": res_uuid, "title": one_line(f"{ev.ref} {ev.title}")}
                if ev.blob is not None:
                    resource["rlinks"] = [{"href": ev.file_name or ev.blob.sha256,
                                           "hashes": [{"algorithm": "SHA-256",
                                                       "value": ev.blob.sha256}]}]
                elif ev.url:
                    resource["rlinks"] = [{"href": ev.url}]
                resources[res_uuid] = resource
                evidence.append({"href": f"#{res_uuid}",
                                 "description": one_line(f"{ev.ref} {ev.title}")})
            obs: dict[str, Any] = {
                "uuid": stable_uuid("audit_line", line.pk),
                "title": one_line(f"{line.requirement.ref} {line.requirement.title}"),
                "description": line.notes.strip() or line.get_result_display(),
                "props": [_prop("result", line.result)],
                "methods": ["EXAMINE"],
                "collected": _stamp(a.actual_end or start),
            }
            if line.ai_system is not None:
                obs["subjects"] = [{"subject-uuid": stable_uuid("ai_system", line.ai_system_id),
                                    "type": "component"}]
            if evidence:
                obs["relevant-evidence"] = evidence
            observations.append(obs)
            if line.result in FINDINGS:
                findings.append({
                    "uuid": stable_uuid("finding", line.pk),
                    "title": one_line(f"{line.get_result_display()}: {line.requirement.ref}"),
                    "description": line.notes.strip() or line.get_result_display(),
                    "props": [_prop("result", line.result)],
                    "target": {"type": "objective-id",
                               "target-id": control_id(line.requirement.ref),
                               "status": {"state": FINDING_STATE.get(line.result,
                                                                     "not-satisfied")}},
                    "related-observations": [{"observation-uuid": obs["uuid"]}],
                })
        result: dict[str, Any] = {
            "uuid": stable_uuid("audit-result", a.pk),
            "title": one_line(f"{a.ref} {a.title}"),
            "description": a.summary.strip() or a.criteria.strip() or a.title,
            "start": _stamp(start),
            "props": [_prop("audit-status", a.status)],
            "reviewed-controls": _selection(line.requirement.ref for line in lines),
        }
        if a.actual_end:
            result["end"] = _stamp(a.actual_end)
        if observations:
            result["observations"] = observations
        if findings:
            result["findings"] = findings
        if a.conclusion.strip():
            result["remarks"] = a.conclusion.strip()
        if lead := _party(parties, a.lead_auditor):
            result["props"].append(_prop("lead-auditor", lead))
        results.append(result)
    if not results:  # OSCAL needs one result: say that no audit has produced one yet
        results.append({
            "uuid": stable_uuid("audit-result-none", ctx.org.pk),
            "title": "No internal audit has started yet",
            "description": "No internal audit of the AIMS has results yet.",
            "start": _stamp(timezone.now()),
            "reviewed-controls": _selection([]),
        })
    doc: dict[str, Any] = {
        "uuid": stable_uuid("assessment-results", ctx.org.pk),
        "metadata": _metadata(ctx, f"Internal audit results of {ctx.org.name}", parties=parties),
        "import-ap": {"href": FILES["assessment-plan"]},
        "results": results,
    }
    if resources:
        doc["back-matter"] = {"resources": [resources[k] for k in sorted(resources)]}
    return doc


# ---------------------------------------------------------------------------- poam

REMEDIATION = {True: "completed", False: "planned"}


def _task(kind: str, pk, title: str, due: datetime.date | None) -> list[dict[str, Any]]:
    if due is None:
        return []
    return [{"uuid": stable_uuid(f"{kind}-due", pk), "type": "milestone",
             "title": one_line(f"Due: {title}"), "timing": {"on-date": {"date": _stamp(due)}}}]


def poam_document(*, ctx: Ctx) -> dict[str, Any]:
    """What is still to be done: each open nonconformity with its corrective actions, and
    each open risk with treatment actions, as an OSCAL risk with remediations and an item."""
    oscal_risks, items = [], []
    for nc in improvement.nonconformity_list(ctx=ctx):
        if nc.status == NcStatus.CLOSED:
            continue
        risk_uuid = stable_uuid("nonconformity-risk", nc.pk)
        remediations = []
        for act in improvement.action_list(ctx=ctx, nc=nc, include_cancelled=False):
            rem: dict[str, Any] = {
                "uuid": stable_uuid("task", act.pk), "lifecycle": REMEDIATION[act.is_closed],
                "title": one_line(f"{act.ref} {act.title}"),
                "description": act.description.strip() or act.title,
                "props": [_prop("action-status", act.status)],
            }
            if tasks := _task("task", act.pk, act.title, act.due_date):
                rem["tasks"] = tasks
            remediations.append(rem)
        risk: dict[str, Any] = {
            "uuid": risk_uuid, "title": one_line(f"{nc.ref} {nc.title}"),
            "description": nc.description.strip() or nc.title,
            "statement": nc.root_cause.strip() or "The root cause is not analysed yet.",
            "props": [_prop("severity", nc.severity), _prop("nonconformity-status", nc.status),
                      _prop("source", nc.source)],
            "status": "remediating" if remediations else "open",
        }
        if remediations:
            risk["remediations"] = remediations
        oscal_risks.append(risk)
        item: dict[str, Any] = {
            "uuid": stable_uuid("nonconformity", nc.pk),
            "title": one_line(f"{nc.ref} {nc.title}"),
            "description": nc.description.strip() or nc.title,
            "props": [_prop("kind", "nonconformity"), _prop("severity", nc.severity)],
            "related-risks": [{"risk-uuid": risk_uuid}],
        }
        if nc.requirement is not None:
            item["props"].append(_prop("requirement", nc.requirement.ref))
        items.append(item)
    for r in risks.risk_list(ctx=ctx).prefetch_related("actions"):
        if r.status == RiskStatus.CLOSED:
            continue
        actions = sorted(r.actions.all(), key=lambda a: (a.due_date or datetime.date.max,
                                                         a.created_at))
        if not any(a.status != ActionStatus.DONE for a in actions):
            continue
        risk_uuid = stable_uuid("risk", r.pk)
        remediations = []
        for treatment in actions:
            rem = {"uuid": stable_uuid("treatment-action", treatment.pk),
                   "lifecycle": REMEDIATION[treatment.status == ActionStatus.DONE],
                   "title": one_line(treatment.title),
                   "description": treatment.notes.strip() or treatment.title,
                   "props": [_prop("action-status", treatment.status)]}
            if tasks := _task("treatment-action", treatment.pk, treatment.title,
                              treatment.due_date):
                rem["tasks"] = tasks
            remediations.append(rem)
        oscal_risks.append({
            "uuid": risk_uuid, "title": one_line(f"{r.ref} {r.title}"),
            "description": r.description.strip() or r.title,
            "statement": r.treatment_rationale.strip() or "No treatment rationale recorded.",
            "props": [_prop("treatment-option", r.treatment_option or "undecided"),
                      _prop("risk-status", r.status)],
            "status": "remediating", "remediations": remediations,
        })
        items.append({
            "uuid": stable_uuid("risk-item", r.pk), "title": one_line(f"{r.ref} {r.title}"),
            "description": r.description.strip() or r.title,
            "props": [_prop("kind", "risk-treatment")],
            "related-risks": [{"risk-uuid": risk_uuid}],
        })
    if not items:  # OSCAL needs one item: say that nothing is open
        items.append({"uuid": stable_uuid("poam-empty", ctx.org.pk),
                      "title": "Nothing open",
                      "description": "No open nonconformity and no open risk treatment action."})
    doc: dict[str, Any] = {
        "uuid": stable_uuid("poam", ctx.org.pk),
        "metadata": _metadata(ctx, f"Plan of action and milestones of {ctx.org.name}"),
        "import-ssp": {"href": FILES["ssp"]},
    }
    if oscal_risks:
        doc["risks"] = oscal_risks
    doc["poam-items"] = items
    return doc


BUILDERS: dict[str, Callable[..., dict[str, Any]]] = {
    "catalog": catalog_document,
    "profile": profile_document,
    "ssp": ssp_document,
    "assessment-plan": assessment_plan_document,
    "assessment-results": assessment_results_document,
    "poam": poam_document,
}
DESCRIPTIONS = {
    "catalog": "ISO/IEC 42001 clauses and Annex A controls, with aims' own guidance and "
               "audit questions.",
    "profile": "Your Statement of Applicability: the controls you include and exclude, "
               "with the reason and justification of each decision.",
    "ssp": "Your AIMS as a system: its scope, your AI systems as components, and how each "
           "applicable requirement is implemented and by whom.",
    "assessment-plan": "Your internal audits: what each looks at, the AI systems in scope "
                       "and the dates.",
    "assessment-results": "What your internal audits found: observations with the SHA-256 "
                          "of the evidence relied on, and findings.",
    "poam": "What is still to be done: open nonconformities with their corrective actions, "
            "and open risk treatment actions.",
}


def oscal_document(*, ctx: Ctx, model: str) -> dict[str, Any]:
    """The OSCAL document of `model` for ctx.org: {root name: content}."""
    return {ROOT[model]: BUILDERS[model](ctx=ctx)}


def oscal_export(*, ctx: Ctx, model: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the OSCAL JSON of `model` for ctx.org."""
    content = json.dumps(oscal_document(ctx=ctx, model=model), indent=2, ensure_ascii=False)
    filename = f"{ctx.org.slug}-{FILES[model]}"
    return content.encode("utf-8") + b"\n", "application/json", filename
