"""The findings shown on an AI system's page (inventory stays unaware of findings): the count
in its header, the Findings tab and the open findings beside its risks."""

from django import template

from aims.findings.selectors import finding_counts, findings_open_for_system, scan_list

register = template.Library()

PANEL_LIMIT = 25
SCANS_SHOWN = 5


@register.inclusion_tag("findings/_count.html", takes_context=True)
def findings_count(context, system):
    """How many findings still ask for action on the system (one query)."""
    ctx = context.get("ctx")
    if ctx is None:
        return {"ctx": None}
    return {"ctx": ctx, "system": system,
            "counts": finding_counts(ctx=ctx, system_id=system.pk)}


@register.inclusion_tag("findings/_system_panel.html", takes_context=True)
def findings_panel(context, system):
    """The Findings tab: counts, the upload, the open findings and the latest scans."""
    ctx = context.get("ctx")
    if ctx is None:
        return {"ctx": None}
    found = findings_open_for_system(ctx=ctx, system_id=system.pk, limit=PANEL_LIMIT + 1)
    return {"ctx": ctx, "system": system, "findings": found[:PANEL_LIMIT],
            "more": len(found) > PANEL_LIMIT,
            "counts": finding_counts(ctx=ctx, system_id=system.pk),
            "scans": list(scan_list(ctx=ctx, system_id=system.pk)[:SCANS_SHOWN])}


@register.inclusion_tag("findings/_risks_panel.html", takes_context=True)
def open_findings_panel(context, system):
    """The system's open security findings, beside its risks: what may still need one."""
    ctx = context.get("ctx")
    if ctx is None:
        return {"ctx": None}
    found = findings_open_for_system(ctx=ctx, system_id=system.pk, limit=PANEL_LIMIT + 1)
    return {"ctx": ctx, "system": system, "findings": found[:PANEL_LIMIT],
            "more": len(found) > PANEL_LIMIT}
