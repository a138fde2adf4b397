"""Evidence records others may link to (see aims.core.records)."""

from django.urls import reverse

from aims.core.records import RecordKind

KINDS = [
    RecordKind(key="evidence", model="evidence.Evidence", label="Evidence",
               url=lambda o, slug: reverse("evidence:detail",
                                           kwargs={"slug": slug, "evidence_id": o.pk})),
]
