"""Writes to the risk methodology, the risk register and its treatment actions.

Linking an Annex A control to a risk makes the control applicable in the SoA (through the
compliance service, so the SoA change is logged under its own record). Unlinking never
excludes a control: whether it still applies is a decision for the SoA, not a side effect.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from aims.catalog.models import Requirement
from aims.catalog.selectors import ISO42001, risk_sources_by_refs
from aims.compliance.models import ComplianceItem, InclusionReason
from aims.compliance.services import compliance_item_update
from aims.core.errors import NotFound, PermissionDenied, ValidationError
from aims.core.fields import created, deleted
from aims.inventory.selectors import ai_systems_by_ids
from aims.orgs.context import Ctx, ctx_for_cli
from aims.orgs.models import Organization
from aims.orgs.selectors import member_user_get
from aims.records import hooks, writes
from aims.records.numbering import next_number
from aims.risks.defaults import default_methodology_data
from aims.risks.models import (
    Risk,
    RiskMethodology,
    RiskStatus,
    TreatmentAction,
)

# ---------------------------------------------------------------------------- methodology

METHODOLOGY_FIELDS = ("likelihood_scale", "impact_scale", "bands", "acceptance_threshold",
                      "change_note")


def _latest_methodology(ctx: Ctx, *, lock: bool = False) -> RiskMethodology | None:
    qs = RiskMethodology.objects.for_org(ctx.org)
    if lock:
        qs = qs.select_for_update()
    return qs.order_by("-number").first()


@transaction.atomic
def methodology_version_create(*, ctx: Ctx, data: dict[str, Any],
                               based_on: int | None) -> RiskMethodology:
    """Save a new methodology version on top of version `based_on` (0 or None for the first).

    Earlier versions stay as they were: risks rated under them keep their levels."""
    ctx.require("risks.change")
    writes.only(data, METHODOLOGY_FIELDS)
    latest = _latest_methodology(ctx, lock=True)
    number = writes.check_based_on(latest=latest, based_on=based_on,
                                   what="The risk methodology", fields=METHODOLOGY_FIELDS)
    methodology = RiskMethodology(org=ctx.org, number=number, author=ctx.user,
                                  **data)
    return writes.create(ctx=ctx, obj=methodology)


@transaction.atomic
def methodology_default_create(*, ctx: Ctx) -> RiskMethodology:
    """Give ctx.org version 1, the default methodology (a no-op returning the latest if any).

    Seed data, like an organisation's compliance items: not a decision anyone took, so it is
    not logged; the version itself records when it was made. Every later version is logged."""
    ctx.require("risks.change")
    Organization.objects.select_for_update().filter(pk=ctx.org.pk).first()
    latest = _latest_methodology(ctx, lock=True)
    if latest is not None:
        return latest
    methodology = RiskMethodology(org=ctx.org, number=1, author=ctx.user,
                                  **default_methodology_data())
    writes.full_clean(methodology)
    methodology.save(force_insert=True)
    return methodology


def methodology_defaults_ensure() -> int:
    """Give every organisation without a methodology the default one (for `aims init`)."""
    orgs = Organization.objects.exclude(
        pk__in=RiskMethodology.all_orgs.values("org_id")).order_by("slug")
    for org in orgs:
        methodology_default_create(ctx=ctx_for_cli(org.slug, actor_label="aims init"))
    return len(orgs)


def methodology_upgrade() -> str:
    """`aims init`: the default methodology for organisations that have none yet."""
    given = methodology_defaults_ensure()
    return f"Gave {given} organisations the default risk methodology." if given else ""


@transaction.atomic
def methodology_for_scoring(*, ctx: Ctx) -> RiskMethodology:
    """The version new scores are given under: the latest (the default one if none yet)."""
    ctx.require("risks.change")
    latest = _latest_methodology(ctx)
    return latest if latest is not None else methodology_default_create(ctx=ctx)


# ---------------------------------------------------------------------------- risks

RISK_FIELDS = (
    "title", "description", "category", "risk_source", "owner", "inherent_likelihood",
    "inherent_impact", "treatment_option", "treatment_rationale", "residual_likelihood",
    "residual_impact", "next_review", "status", "enterprise_ref",
)
LINKS = ("ai_systems", "controls", "source_tags")
SCORES = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")
RESIDUAL = ("residual_likelihood", "residual_impact")


def _prepare(ctx: Ctx, data: dict[str, Any], *, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    data = writes.only(data, (*RISK_FIELDS, *LINKS, *extra))
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")
    for key in ("title", "enterprise_ref"):
        if isinstance(data.get(key), str):
            data[key] = data[key].strip()
    return data


def _controls(ctx: Ctx, refs) -> list[ComplianceItem]:
    """The organisation's Annex A control items for these refs (A.6.2.6…), locked for update."""
    if refs is None:
        return []
    if not isinstance(refs, (list, tuple, set)) or not all(isinstance(r, str) for r in refs):
        raise ValidationError({"controls": ["Give a list of Annex A control references."]})
    wanted = {r.strip() for r in refs if r.strip()}
    found = list(ComplianceItem.objects.for_org(ctx.org).select_for_update()
                 .filter(requirement__framework__code=ISO42001,
                         requirement__kind=Requirement.Kind.CONTROL,
                         requirement__ref__in=wanted)
                 .select_related("requirement").order_by("requirement__sort_key"))
    if missing := wanted - {c.requirement.ref for c in found}:
        raise ValidationError({"controls": [
            f"Not an Annex A control: {', '.join(sorted(missing))}. "
            "Use references such as A.6.2.6."]})
    return found


def mark_applicable(ctx: Ctx, risk: Risk, items: list[ComplianceItem]) -> None:
    """Each newly linked control applies in the SoA. An undecided or excluded control becomes
    applicable for risk treatment; one already applicable for another reason (a law, a
    contract) keeps that reason, and the SoA lists the risk beside it."""
    for item in items:
        if item.applicable is True and item.inclusion_reason:
            continue
        data: dict[str, Any] = {"applicable": True,
                                "inclusion_reason": InclusionReason.RISK_TREATMENT}
        if item.applicable is False or not item.justification.strip():
            # An exclusion's reason no longer holds; say why the control is in now.
            data["justification"] = f"Selected to treat risk {risk.ref}: {risk.title}"
        compliance_item_update(ctx=ctx, ref=item.requirement.ref, data=data,
                               version=item.version)


def _labels(objs, kind: str) -> list[str]:
    if kind == "controls":
        return [c.requirement.ref for c in objs]
    if kind == "source_tags":
        return [r.ref for r in objs]
    return [s.name for s in objs]


def _methodology_label(m: RiskMethodology | None) -> str | None:
    return f"v{m.number}" if m is not None else None


@transaction.atomic
def risk_create(*, ctx: Ctx, data: dict[str, Any]) -> Risk:
    """Add a risk to the register, rated under the current methodology.

    `data` holds model field names plus `ai_systems` (AI system ids) and `controls` (Annex A
    references such as "A.5.2"); each linked control becomes applicable in the SoA."""
    ctx.require("risks.change")
    data = _prepare(ctx, data)
    systems = ai_systems_by_ids(ctx=ctx, ids=data.pop("ai_systems", None))
    controls = _controls(ctx, data.pop("controls", None))
    tags = risk_sources_by_refs(data.pop("source_tags", None))
    methodology = methodology_for_scoring(ctx=ctx)
    number = next_number(Risk, ctx=ctx)
    risk = Risk(org=ctx.org, number=number, ref=f"R-{number:03d}", methodology=methodology,
                **data)
    # The log names the methodology version and the links, not their ids.
    writes.create(ctx=ctx, obj=risk, extra_changes=created({
        "methodology": _methodology_label(methodology),
        "ai_systems": _labels(systems, "ai_systems"), "controls": _labels(controls, "controls"),
        **({"source_tags": _labels(tags, "source_tags")} if tags else {})}))
    risk.ai_systems.set(systems)
    risk.source_tags.set(tags)
    risk.controls.set(controls)
    mark_applicable(ctx, risk, controls)
    return risk


def _lock_risk(ctx: Ctx, risk_id: uuid.UUID) -> Risk:
    risk = writes.get_for_update(Risk, ctx=ctx, pk=risk_id, label="Risk")
    # Read the methodology fresh: the levels the rules check come from it.
    risk.methodology = RiskMethodology.objects.for_org(ctx.org).get(pk=risk.methodology_id)
    return risk


def _signoff_basis(risk: Risk, data: dict[str, Any]) -> tuple:
    """What an owner's sign-off covers, as it stands after applying `data` to `risk`: the
    current rating (residual once rated, else inherent) with its score and level, the
    methodology version they are read on, and the treatment option."""
    value = {k: data.get(k, getattr(risk, k)) for k in (*SCORES, "treatment_option")}
    methodology = data.get("methodology", risk.methodology)
    stage = "residual" if value["residual_likelihood"] is not None \
        or value["residual_impact"] is not None else "inherent"
    rating = (value[f"{stage}_likelihood"], value[f"{stage}_impact"])
    try:
        score = int(rating[0]) * int(rating[1])
    except (TypeError, ValueError):
        score = None  # not rated, or not a number (full_clean names the field later)
    return rating, score, methodology.level_for(score), methodology.pk, \
        value["treatment_option"] or ""


@transaction.atomic
def risk_update(*, ctx: Ctx, risk_id: uuid.UUID, data: dict[str, Any], version: int | None) -> Risk:
    """Change a risk written at `version`.

    Changing a score, or sending `rescore: true`, rates the risk again under the current
    methodology. A change of the current score or level (residual once rated, else inherent),
    of the methodology version or of the treatment option clears an earlier acceptance
    sign-off, which the log records; an accepted risk then goes back to "assessed". A
    version switch that would leave a rated score empty is refused."""
    ctx.require("risks.change")
    data = _prepare(ctx, data, extra=("rescore",))
    risk = _lock_risk(ctx, risk_id)
    writes.check_version(risk, version)
    rescore = bool(data.pop("rescore", False))
    extra: dict[str, Any] = {}
    new_systems = new_controls = new_tags = None
    if "source_tags" in data:
        new_tags = risk_sources_by_refs(data.pop("source_tags"))
        before = _labels(risk.source_tags.order_by("sort_key"), "source_tags")
        if before != _labels(new_tags, "source_tags"):
            extra["source_tags"] = {"before": before, "after": _labels(new_tags, "source_tags")}
    if "ai_systems" in data:
        new_systems = ai_systems_by_ids(ctx=ctx, ids=data.pop("ai_systems"))
        before = _labels(risk.ai_systems.order_by("name"), "ai_systems")
        if before != _labels(new_systems, "ai_systems"):
            extra["ai_systems"] = {"before": before, "after": _labels(new_systems, "ai_systems")}
    if "controls" in data:
        new_controls = _controls(ctx, data.pop("controls"))
        before = _labels(risk.controls.select_related("requirement")
                         .order_by("requirement__sort_key"), "controls")
        if before != _labels(new_controls, "controls"):
            extra["controls"] = {"before": before, "after": _labels(new_controls, "controls")}
    rescored = rescore or any(k in data and data[k] != getattr(risk, k) for k in SCORES)
    current = _latest_methodology(ctx)
    if rescored and current is not None and current.pk != risk.methodology_id:
        if emptied := [k for k in SCORES
                       if getattr(risk, k) is not None and k in data and data[k] is None]:
            # Usually a form built on the new scales that could not show the old values:
            # saving would silently wipe the rating, so say so instead.
            raise ValidationError({k: [
                f"Rated {getattr(risk, k)} under methodology v{risk.methodology.number}; "
                f"give a value on the v{current.number} scale to rate the risk again (a "
                "change of methodology version cannot leave a rated score empty)."]
                for k in emptied})
        data["methodology"] = current
        extra["methodology"] = {"before": _methodology_label(risk.methodology),
                                "after": _methodology_label(current)}
    if risk.accepted_at is not None and _signoff_basis(risk, data) != _signoff_basis(risk, {}):
        # The owner signed off a different risk (score, level or treatment); that sign-off
        # does not carry over. Clearing it is logged with the change.
        data["accepted_by"] = None
        data["accepted_at"] = None
        if risk.status == RiskStatus.ACCEPTED and data.get("status", risk.status) == \
                RiskStatus.ACCEPTED:
            data["status"] = RiskStatus.ASSESSED
    risk = writes.change(ctx=ctx, obj=risk, data=data, version=version, extra_changes=extra)
    if new_systems is not None and "ai_systems" in extra:
        risk.ai_systems.set(new_systems)
    if new_tags is not None and "source_tags" in extra:
        risk.source_tags.set(new_tags)
    if new_controls is not None and "controls" in extra:
        added = {c.pk for c in new_controls} - set(risk.controls.values_list("pk", flat=True))
        risk.controls.set(new_controls)
        mark_applicable(ctx, risk, [c for c in new_controls if c.pk in added])
    return risk


@transaction.atomic
def risk_accept(*, ctx: Ctx, risk_id: uuid.UUID, version: int | None) -> Risk:
    """The risk owner signs off the residual risk (who and when are recorded); only the owner
    may, because accepting a risk is a decision someone must answer for."""
    ctx.require("risks.change")
    risk = _lock_risk(ctx, risk_id)
    writes.check_version(risk, version)
    if risk.owner_id is None:
        raise ValidationError({"owner": ["Name an owner first: only the risk owner can sign "
                                         "off its residual risk."]})
    if ctx.user is None or ctx.user.pk != risk.owner_id:
        raise PermissionDenied("Only the risk's owner can sign off its residual risk.")
    if risk.inherent_score is None:
        raise ValidationError({"inherent_likelihood": ["Rate the risk before accepting it."]})
    if risk.accepted_at is not None:
        raise ValidationError({"status": ["The residual risk is already signed off."]})
    if risk.status == RiskStatus.CLOSED:
        raise ValidationError({"status": ["The risk is closed: there is no residual risk to "
                                          "sign off. Reopen it first if it applies again."]})
    return writes.change(ctx=ctx, obj=risk, version=version, data={
        "accepted_by": ctx.user, "accepted_at": timezone.now(), "status": RiskStatus.ACCEPTED})


@transaction.atomic
def risk_delete(*, ctx: Ctx, risk_id: uuid.UUID, version: int | None) -> None:
    """Remove a risk entered by mistake, with its treatment actions; its last values, links
    and actions stay in the activity log. Linked controls stay applicable in the SoA."""
    ctx.require("risks.change")
    risk = _lock_risk(ctx, risk_id)
    # An impact assessment that raised this risk keeps pointing at it: refuse, do not orphan.
    hooks.run(hooks.before_delete("risks.Risk"), ctx=ctx, obj=risk)
    writes.delete(ctx=ctx, obj=risk, version=version, extra_changes=deleted({
        "methodology": _methodology_label(risk.methodology),
        "ai_systems": _labels(risk.ai_systems.order_by("name"), "ai_systems"),
        "controls": _labels(risk.controls.select_related("requirement")
                            .order_by("requirement__sort_key"), "controls"),
        "treatment_actions": [
            f"{a.title} ({a.get_status_display().lower()})"
            for a in TreatmentAction.objects.for_org(ctx.org).filter(risk=risk)
            .order_by("created_at")],
    }))


# ---------------------------------------------------------------------------- actions

ACTION_FIELDS = ("title", "owner", "due_date", "status", "notes")


def _action_data(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    data = writes.only(data, ACTION_FIELDS)
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")
    if isinstance(data.get("title"), str):
        data["title"] = data["title"].strip()
    return data


def _action_for_update(ctx: Ctx, risk_id: uuid.UUID, action_id: uuid.UUID) -> TreatmentAction:
    risk = writes.get_for_update(Risk, ctx=ctx, pk=risk_id, label="Risk")
    action = writes.get_for_update(TreatmentAction, ctx=ctx, pk=action_id,
                                   label="Treatment action")
    if action.risk_id != risk.pk:
        raise NotFound("Treatment action not found.")
    action.risk = risk
    return action


@transaction.atomic
def action_create(*, ctx: Ctx, risk_id: uuid.UUID, data: dict[str, Any]) -> TreatmentAction:
    """Add a treatment action to a risk."""
    ctx.require("risks.change")
    risk = writes.get_for_update(Risk, ctx=ctx, pk=risk_id, label="Risk")
    action = TreatmentAction(org=ctx.org, risk=risk, **_action_data(ctx, data))
    return writes.create(ctx=ctx, obj=action, extra_changes=created({"risk": risk.ref}))


@transaction.atomic
def action_update(*, ctx: Ctx, risk_id: uuid.UUID, action_id: uuid.UUID, data: dict[str, Any],
                  version: int | None) -> TreatmentAction:
    """Change a treatment action written at `version` (completing it is status "done")."""
    ctx.require("risks.change")
    action = _action_for_update(ctx, risk_id, action_id)
    return writes.change(ctx=ctx, obj=action, data=_action_data(ctx, data), version=version)


@transaction.atomic
def action_delete(*, ctx: Ctx, risk_id: uuid.UUID, action_id: uuid.UUID, version: int | None
                 ) -> None:
    """Remove a treatment action; its last values stay in the activity log."""
    ctx.require("risks.change")
    action = _action_for_update(ctx, risk_id, action_id)
    writes.delete(ctx=ctx, obj=action, version=version,
                  extra_changes=deleted({"risk": action.risk.ref}))
