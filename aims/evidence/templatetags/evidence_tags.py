"""`{% evidence_panel obj %}`: the evidence that supports any linkable record."""

from django import template

from aims.core.records import kind_of
from aims.evidence.selectors import evidence_for

register = template.Library()


@register.inclusion_tag("evidence/_panel.html", takes_context=True)
def evidence_panel(context, subject, heading="Evidence"):
    ctx = context["ctx"]
    return {"ctx": ctx, "items": evidence_for(ctx=ctx, subject=subject), "heading": heading,
            "subject_kind": kind_of(subject).key, "subject": subject}
