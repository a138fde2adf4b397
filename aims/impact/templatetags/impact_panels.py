"""The impact panel shown on an AI system's page (inventory stays unaware of impact)."""

from django import template

from aims.impact.selectors import system_standing

register = template.Library()


@register.inclusion_tag("impact/_system_panel.html", takes_context=True)
def impact_panel(context, system):
    """The system's standing assessment, any version in progress, and what to do next."""
    ctx = context.get("ctx")
    return {"ctx": ctx, "system": system, "standing": system_standing(ctx=ctx, system=system)}
