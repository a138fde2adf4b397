"""Management review records others may link to (see aims.records.kinds)."""

from django.urls import reverse

from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key="management_review", model="reviews.ManagementReview",
               label="Management review",
               url=lambda o, slug: reverse("reviews:detail",
                                           kwargs={"slug": slug, "review_id": o.pk})),
]
