"""The objectives panel for an AI system's page (inventory stays unaware of objectives)."""

from django import template

from aims.objectives.selectors import ObjectiveFilters, objective_list

register = template.Library()


@register.inclusion_tag("objectives/_system_panel.html", takes_context=True)
def objective_panel(context, system):
    """The objectives that concern `system`, with their track status, in a fixed number of
    queries."""
    ctx = context.get("ctx")
    objectives = list(objective_list(ctx=ctx, filters=ObjectiveFilters(ai_system=str(system.pk)),
                                     recent=True)) if ctx else []
    return {"ctx": ctx, "system": system, "objectives": objectives}
