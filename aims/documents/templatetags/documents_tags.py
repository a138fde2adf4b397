"""`{% requirement_documents requirement %}`: the organisation's documents that say they satisfy
a catalog requirement (for the catalog and SoA pages)."""

from django import template

from aims.documents.selectors import documents_for_requirements

register = template.Library()


@register.inclusion_tag("documents/_requirement_panel.html", takes_context=True)
def requirement_documents(context, requirement, heading="Documents"):
    ctx = context["ctx"]
    found = documents_for_requirements(ctx=ctx, requirement_ids=[requirement.pk])
    return {"ctx": ctx, "documents": found[requirement.pk], "heading": heading,
            "requirement": requirement}
