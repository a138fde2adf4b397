"""The internal-audit panel shown on an AI system's page (inventory stays unaware of audits)."""

from django import template
from django.db.models import Count, Q

from aims.audits.models import FINDINGS, Audit

register = template.Library()

PANEL_LIMIT = 10


@register.inclusion_tag("audits/_system_panel.html", takes_context=True)
def audit_panel(context, system):
    """The audits that had the system in scope, newest first, with the findings about it
    (one query)."""
    ctx = context.get("ctx")
    if ctx is None:
        return {"ctx": None, "system": system}
    audits = list(Audit.objects.for_org(ctx.org).filter(ai_systems=system)
                  .select_related("programme")
                  .annotate(system_findings=Count("lines", filter=Q(
                      lines__ai_system=system, lines__result__in=FINDINGS)))
                  .order_by("-number")[:PANEL_LIMIT + 1])
    return {"ctx": ctx, "system": system, "audits": audits[:PANEL_LIMIT],
            "more": len(audits) > PANEL_LIMIT}
