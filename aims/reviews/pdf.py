"""The management review pack: the agenda with its inputs, minutes, decisions and actions."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from aims.core.pdf import html_to_pdf
from aims.orgs.context import Ctx
from aims.reviews.selectors import agenda_inputs_live, review_get


def review_pack_context(*, ctx: Ctx, review_id) -> dict:
    review = review_get(ctx=ctx, review_id=review_id)
    items = list(review.items.all())
    if not review.is_held:  # as on the page: a planned review's inputs as the record stands
        live = agenda_inputs_live(ctx=ctx, review=review)
        for item in items:
            item.inputs = live.get(item.key, item.inputs)
    return {"org": ctx.org, "review": review, "items": items,
            "decisions": list(review.decisions.all()),
            "attendees": list(review.attendees.all()), "printed": timezone.localtime()}


def review_pdf(*, ctx: Ctx, review_id) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the review pack as a PDF."""
    context = review_pack_context(ctx=ctx, review_id=review_id)
    content = html_to_pdf(render_to_string("reviews/pack.html", context))
    r = context["review"]
    return content, "application/pdf", f"{ctx.org.slug}-{r.ref.lower()}-management-review.pdf"
