"""Supplier and customer records others may link to (see aims.records.kinds)."""

from django.urls import reverse

from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key="supplier", model="suppliers.Supplier", label="Supplier or customer",
               url=lambda o, slug: reverse("suppliers:detail",
                                           kwargs={"slug": slug, "supplier_id": o.pk})),
]
