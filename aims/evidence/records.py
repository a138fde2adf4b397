"""Evidence records others may link to (see aims.records.kinds)."""

from django.urls import reverse

from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key="evidence", model="evidence.Evidence", label="Evidence",
               url=lambda o, slug: reverse("evidence:detail",
                                           kwargs={"slug": slug, "evidence_id": o.pk})),
]
