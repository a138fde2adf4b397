"""The roles panel shown on an AI system's page (inventory stays unaware of roles)."""

from django import template
from django.utils import timezone

from aims.people.selectors import roles_for_system

register = template.Library()


@register.inclusion_tag("people/_system_panel.html", takes_context=True)
def roles_panel(context, system):
    """The AIMS roles that cover the system and who holds them today (two queries)."""
    ctx = context.get("ctx")
    if ctx is None:
        return {"ctx": None, "system": system}
    today = timezone.localdate()
    roles = roles_for_system(ctx=ctx, system=system)
    return {"ctx": ctx, "system": system,
            "rows": [(r, [a for a in r.assignments.all() if a.is_current_on(today)])
                     for r in roles]}
