"""The EU AI Act panel of an AI system's page (inventory stays unaware of the AI Act app)."""

from django import template
from django.utils import timezone

from aims.aiact.selectors import classification_get, obligations_for_system

register = template.Library()


@register.inclusion_tag("aiact/_system_panel.html", takes_context=True)
def aiact_panel(context, system):
    """The system's class, its obligations with their status, and its FRIA where Art. 27
    applies."""
    ctx = context.get("ctx")
    today = timezone.localdate()
    rows = obligations_for_system(ctx=ctx, system=system, today=today)
    fria = next((r.fria for r in rows if r.fria is not None and r.item.applies), None)
    return {"ctx": ctx, "system": system, "c": classification_get(ctx=ctx, system_id=system.pk),
            "rows": rows, "fria": fria, "overdue": sum(1 for r in rows if r.overdue),
            "applying": sum(1 for r in rows if r.item.applies)}
