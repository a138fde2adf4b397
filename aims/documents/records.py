"""Documented information others may link to (see aims.records.kinds)."""

from django.urls import reverse

from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key="document", model="documents.Document", label="Document",
               url=lambda o, slug: reverse("documents:detail",
                                           kwargs={"slug": slug, "document_id": o.pk})),
]
