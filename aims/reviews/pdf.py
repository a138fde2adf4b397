"""The management review pack: the agenda with its inputs, minutes, decisions and actions."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from aims.core.pdf import html_to_pdf
from aims.orgs.context import Ctx
from aims.reviews.selectors import review_get


def review_pack_context(*, ctx: Ctx, review_id) -> dict:
    review = review_get(ctx=ctx, review_id=review_id)
    return {"org": ctx.org, "review": review, "items": list(review.items.all()),
            "decisions": list(review.decisions.all()),
            "attendees": list(review.attendees.all()), "printed": timezone.localtime()}


def review_pdf(*, ctx: Ctx, review_id) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the review pack as a PDF."""
    context = review_pack_context(ctx=ctx, review_id=review_id)
    content = html_to_pdf(render_to_string("reviews/pack.html", context))
    r = context["review"]
    return content, "application/pdf", f"{ctx.org.slug}-{r.ref.lower()}-management-review.pdf"
