"""Risk records others may link to (see aims.core.records)."""

from django.urls import reverse

from aims.core.records import RecordKind

KINDS = [
    RecordKind(key="risk", model="risks.Risk", label="Risk",
               url=lambda o, slug: reverse("risks:detail", kwargs={"slug": slug, "risk_id": o.pk})),
]
