"""Impact assessment records others may link to (see aims.core.records)."""

from django.urls import reverse

from aims.core.records import RecordKind

KINDS = [
    RecordKind(key="impact_assessment", model="impact.ImpactAssessment",
               label="Impact assessment", select_related=("ai_system",),
               url=lambda o, slug: reverse("impact:detail",
                                           kwargs={"slug": slug, "assessment_id": o.pk})),
]
