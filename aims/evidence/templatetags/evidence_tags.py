"""`{% evidence_panel obj %}`: the evidence that supports any linkable record."""

from django import template

from aims.evidence.selectors import evidence_for_panel
from aims.records.kinds import kind_of

register = template.Library()


@register.inclusion_tag("evidence/_panel.html", takes_context=True)
def evidence_panel(context, subject, heading="Evidence"):
    """The record's newest evidence, each linked to its page (with a link to the register
    filtered to the record when there is more), and (for members who may add evidence)
    an "Add evidence" link that comes back to this page with the record already chosen."""
    ctx = context["ctx"]
    request = context.get("request")
    items, total = evidence_for_panel(ctx=ctx, subject=subject)
    return {"ctx": ctx, "items": items, "total": total, "heading": heading,
            "subject_kind": kind_of(subject).key, "subject": subject,
            "next": request.get_full_path() if request is not None else ""}
