"""Writes to compliance items (the SoA and the clause gap analysis)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from aims.catalog.models import Requirement
from aims.catalog.selectors import ISO42001
from aims.compliance.models import ComplianceItem
from aims.core.errors import NotFound, ValidationError
from aims.orgs.context import Ctx
from aims.orgs.models import Organization
from aims.orgs.selectors import member_user_get
from aims.records import writes

# The fields that make up the decision itself (as opposed to its implementation).
DECISION = ("applicable", "inclusion_reason", "justification")
EDITABLE = ("applicable", "inclusion_reason", "justification", "status", "owner", "notes",
            "last_reviewed")


def compliance_items_ensure(*, org) -> int:
    """Give `org` one item per ISO/IEC 42001 requirement it lacks; returns how many were
    added. (The other frameworks are read through the crosswalks, not given items.)"""
    have = set(ComplianceItem.objects.for_org(org).values_list("requirement_id", flat=True))
    missing = [ComplianceItem(org=org, requirement=r)
               for r in Requirement.objects.filter(framework__code=ISO42001)
               .exclude(pk__in=have)]
    ComplianceItem.objects.for_org(org).bulk_create(missing)
    return len(missing)


def compliance_items_for_own_framework(*, ctx: Ctx, framework_id: int) -> int:
    """Give ctx.org an undecided item for each control of one framework of its own (brought in
    from an OSCAL catalog) that lacks one; returns how many were added. Items of controls
    retired since keep their decisions: they are never removed."""
    have = set(ComplianceItem.objects.for_org(ctx.org)
               .filter(requirement__framework_id=framework_id)
               .values_list("requirement_id", flat=True))
    missing = [ComplianceItem(org=ctx.org, requirement=r) for r in Requirement.objects.filter(
        framework_id=framework_id, framework__org=ctx.org, kind=Requirement.Kind.OWN_CONTROL)
        .exclude(pk__in=have)]
    ComplianceItem.objects.for_org(ctx.org).bulk_create(missing)
    return len(missing)


def compliance_items_seed(*, ctx: Ctx) -> None:
    """A new organisation starts with one undecided item per catalog requirement (seed data:
    not a decision anyone took, so not logged)."""
    compliance_items_ensure(org=ctx.org)


def compliance_items_upgrade() -> str:
    """After a catalog update, give every organisation the items of new requirements."""
    added = sum(compliance_items_ensure(org=org) for org in Organization.objects.all())
    return f"Added {added} compliance items for new catalog requirements." if added else ""


@transaction.atomic
def compliance_item_update(*, ctx: Ctx, ref: str, data: dict[str, Any], version: int | None,
                           framework: str = ISO42001) -> ComplianceItem:
    """Change one item's decision; exclusions must carry a real justification."""
    ctx.require("compliance.change")
    item = (ComplianceItem.objects.for_org(ctx.org).select_for_update()
            .select_related("requirement")
            .filter(requirement__framework__code=framework, requirement__ref=ref).first())
    if item is None:
        raise NotFound(f"No requirement {ref!r} in this organisation's record.")
    data = {k: v for k, v in data.items() if k != "version"}
    if fixed := sorted(set(data) - set(EDITABLE)):  # the requirement and org never move
        raise ValidationError({k: ["This field cannot be changed."] for k in fixed})
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")
    # A control that treats a risk can be neither excluded nor left undecided: the SoA would
    # contradict the risk register (the trace gap auditors look for first).
    if ("applicable" in data and data["applicable"] is not True
            and (treating := [r.ref for r in item.risks.order_by("ref")])):
        doing = "excluding it" if data["applicable"] is False else "setting it to not decided"
        raise ValidationError({"applicable": [
            f"{', '.join(treating)} treat{'s' if len(treating) == 1 else ''} this control, "
            f"so it is applicable. Unlink it from the risk treatment before {doing}."]})
    if data.get("applicable") is False:
        data.setdefault("inclusion_reason", "")
    # Deciding again is reviewing: a changed decision dates itself today, unless the caller
    # gives another review date than the one on record.
    if (any(k in data and data[k] != getattr(item, k) for k in DECISION)
            and data.get("last_reviewed", item.last_reviewed) == item.last_reviewed):
        data["last_reviewed"] = timezone.localdate()
    return writes.change(ctx=ctx, obj=item, data=data, version=version)
