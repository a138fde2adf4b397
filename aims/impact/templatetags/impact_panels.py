"""The impact panel shown on an AI system's page (inventory stays unaware of impact)."""

from django import template

register = template.Library()


@register.inclusion_tag("impact/_system_panel.html", takes_context=True)
def impact_panel(context, system):
    """Context for the panel; filled in by the impact app."""
    return {"ctx": context.get("ctx"), "system": system}
