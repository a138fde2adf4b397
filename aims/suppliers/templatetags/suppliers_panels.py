"""The suppliers panel shown on an AI system's page (inventory stays unaware of suppliers)."""

from django import template

from aims.suppliers.selectors import suppliers_for_system

register = template.Library()

PANEL_LIMIT = 25


@register.inclusion_tag("suppliers/_system_panel.html", takes_context=True)
def supplier_panel(context, system):
    """The parties linked to the system with their rating and review state (one query)."""
    ctx = context.get("ctx")
    if ctx is None:
        return {"ctx": None, "system": system}
    parties = suppliers_for_system(ctx=ctx, system=system, limit=PANEL_LIMIT + 1)
    return {"ctx": ctx, "system": system, "parties": parties[:PANEL_LIMIT],
            "more": len(parties) > PANEL_LIMIT}
