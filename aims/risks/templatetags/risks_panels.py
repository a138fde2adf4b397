"""The risks panel shown on an AI system's page (inventory stays unaware of risks)."""

from django import template

register = template.Library()


@register.inclusion_tag("risks/_system_panel.html", takes_context=True)
def risk_panel(context, system):
    """Context for the panel; filled in by the risks app."""
    return {"ctx": context.get("ctx"), "system": system}
