"""How the tenancy, role and error matrices reach the management review routes (see
aims.testing.tenancy)."""

from __future__ import annotations

import datetime

from aims.reviews.services import agenda_item_update, decision_add, review_create


def build(world, ctx, tag: str) -> None:
    """One planned review with a decision (without an action, so the review stays deletable)."""
    review = review_create(ctx=ctx, data={
        "title": f"{tag} board AIMS review", "meeting_date": datetime.date(2025, 6, 30),
        "chair": world.owner.pk, "attendees": [world.owner.pk, world.editor.pk],
        "other_attendees": f"{tag} external adviser", "conclusions": ""})
    decision = decision_add(ctx=ctx, review_id=review.pk, data={
        "kind": "resources", "text": f"{tag} fund a second model validator"})
    # A second review, ready to be recorded as held (holding is one-way).
    ready = review_create(ctx=ctx, data={
        "title": f"{tag} ready review", "meeting_date": datetime.date(2025, 7, 31),
        "chair": world.owner.pk, "attendees": [world.owner.pk],
        "conclusions": f"{tag} the AIMS remains suitable"})
    for item in ready.items.all():
        agenda_item_update(ctx=ctx, review_id=ready.pk, item_id=item.pk,
                           minutes=f"{tag} noted", version=item.version)
    world.extra.update(review=review, review_item=review.items.first(), decision=decision,
                       ready_review=ready)
    world.secrets += [review.title, review.other_attendees, decision.text, str(review.pk),
                      str(decision.pk)]


PATH_PARAMS = {
    "review_id": lambda w: w.extra["review"].pk,
    "item_id": lambda w: w.extra["review_item"].pk,
    "decision_id": lambda w: w.extra["decision"].pk,
}
ORG_UNIQUE_PARAMS = {"review_id", "item_id", "decision_id"}
VERSIONED_BY = {
    "review_id": lambda w: w.extra["review"].version,
    "decision_id": lambda w: w.extra["decision"].version,
}
BODIES = {
    ("POST", "/orgs/{slug}/management-reviews"): lambda s, i: {
        "title": "Probe review", "meeting_date": "2025-12-15", "attendees": [str(s.owner.pk)]},
    ("PATCH", "/orgs/{slug}/management-reviews/{review_id}"):
        lambda s, i: {"version": i.extra["review"].version, "title": "Probe renamed review"},
    ("PATCH", "/orgs/{slug}/management-reviews/{review_id}/agenda/{item_id}"):
        lambda s, i: {"version": i.extra["review_item"].version, "minutes": "Probe minutes."},
    ("POST", "/orgs/{slug}/management-reviews/{review_id}/decisions"):
        lambda s, i: {"kind": "other", "text": "Probe decision."},
    ("POST", "/orgs/{slug}/management-reviews/{review_id}/hold"):
        lambda s, i: {"version": i.extra["ready_review"].version},
}
ROUTE_PARAMS = {
    ("POST", "/orgs/{slug}/management-reviews/{review_id}/hold"):
        {"review_id": lambda w: w.extra["ready_review"].pk},
}
WRITE_PERMS = {"management-reviews": "reviews.change"}
WEB_PARAMS = {
    "review_id": lambda w: w.extra["review"].pk,
    "item_id": lambda w: w.extra["review_item"].pk,
    "decision_id": lambda w: w.extra["decision"].pk,
}
