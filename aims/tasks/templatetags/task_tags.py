"""`{% task_panel obj %}`: the work about any linkable record."""

from django import template

from aims.records.kinds import kind_of
from aims.tasks.selectors import tasks_for

register = template.Library()


@register.inclusion_tag("tasks/_panel.html", takes_context=True)
def task_panel(context, subject, heading="Tasks"):
    ctx = context["ctx"]
    request = context.get("request")
    return {"ctx": ctx, "tasks": tasks_for(ctx=ctx, subject=subject), "heading": heading,
            "subject_kind": kind_of(subject).key, "subject": subject,
            "next": request.get_full_path() if request is not None else ""}
