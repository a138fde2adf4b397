"""`{% raise_actions origin %}`: what was raised from any record, and buttons to raise more;
`{% incident_panel system %}`: the incidents of an AI system, for its page."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from aims.improvement.selectors import Raised, incidents_for_system, raised_from_kind
from aims.records.kinds import kind_of

register = template.Library()

PANEL_LIMIT = 10
# Records whose trouble may be an incident (a monitoring result outside its thresholds).
INCIDENT_ORIGINS = {"monitor_result", "monitor"}


def _raised(context, ctx, kind: str, pk) -> Raised:
    """Everything raised from records of `kind`, read once per request whatever the number of
    records on the page (a table of findings or results costs three queries, not three a row)."""
    request = context.get("request")
    cache = getattr(request, "_improvement_raised", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._improvement_raised = cache
    if kind not in cache:
        cache[kind] = raised_from_kind(ctx=ctx, kind=kind)
    return cache[kind].get(pk) or Raised([], [], [])


@register.inclusion_tag("improvement/_raise_actions.html", takes_context=True)
def raise_actions(context, origin, nonconformity=True, improvement=True, incident=None):
    """The incidents, nonconformities and improvement opportunities raised from `origin`, as
    links, and buttons to raise one for members who may (improvement.raise)."""
    ctx = context.get("ctx")
    if ctx is None or origin is None:
        return {"ctx": None}
    kind = kind_of(origin).key
    raised = _raised(context, ctx, kind, origin.pk)
    query = "?" + urlencode({"origin_kind": kind, "origin_id": str(origin.pk)})
    slug = ctx.org.slug
    may = ctx.can("improvement.raise")
    if incident is None:
        incident = kind in INCIDENT_ORIGINS
    return {
        "ctx": ctx, "raised": raised, "origin": origin,
        "nc_url": reverse("improvement:nc_create", args=[slug]) + query
        if may and nonconformity else "",
        "improvement_url": reverse("improvement:improvement_create", args=[slug]) + query
        if may and improvement else "",
        "incident_url": reverse("improvement:incident_create", args=[slug]) + query
        if may and incident else "",
    }


@register.inclusion_tag("improvement/_system_panel.html", takes_context=True)
def incident_panel(context, system):
    """The newest incidents involving one AI system (two queries)."""
    ctx = context.get("ctx")
    if ctx is None:
        return {"ctx": None, "system": system}
    incidents = incidents_for_system(ctx=ctx, system=system, limit=PANEL_LIMIT + 1)
    return {"ctx": ctx, "system": system, "incidents": incidents[:PANEL_LIMIT],
            "more": len(incidents) > PANEL_LIMIT}
