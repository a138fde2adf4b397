"""The risks panel shown on an AI system's page (inventory stays unaware of risks)."""

from django import template

from aims.risks.heatmap import heat_context
from aims.risks.selectors import RiskFilters, risk_list

register = template.Library()

PANEL_LIMIT = 25


@register.inclusion_tag("risks/_system_panel.html", takes_context=True)
def risk_panel(context, system):
    """The system's risks with their levels, and its heat map (a fixed number of queries)."""
    ctx = context.get("ctx")
    if ctx is None:
        return {"ctx": None, "system": system}
    filters = RiskFilters(ai_system=str(system.pk))
    risks = list(risk_list(ctx=ctx, filters=filters)[:PANEL_LIMIT + 1])
    return {"ctx": ctx, "system": system, "risks": risks[:PANEL_LIMIT],
            "more": len(risks) > PANEL_LIMIT,
            **(heat_context(ctx, filters, id_prefix=f"sys-{system.pk.hex[:8]}") if risks else {})}
