from django import template

register = template.Library()


@register.filter
def gap_for(gaps, item):
    """How `item` stands, from `gaps` (selectors.requirement_gaps: a dict by requirement ref)."""
    return gaps.get(item.requirement.ref) if gaps else None


@register.filter
def area_of(requirement) -> str:
    """The clause (4–10) or Annex A domain a requirement belongs to: what readiness filters by."""
    return requirement.domain if requirement.is_control else requirement.ref.split(".")[0]
