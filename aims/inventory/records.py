"""Inventory records others may link to (see aims.records.kinds)."""

from django.urls import reverse

from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key="ai_system", model="inventory.AISystem", label="AI system",
               url=lambda o, slug: reverse("inventory:detail",
                                           kwargs={"slug": slug, "system_id": o.pk})),
    RecordKind(key="resource", model="inventory.Resource", label="Resource",
               url=lambda o, slug: reverse("inventory:resource_detail",
                                           kwargs={"slug": slug, "resource_id": o.pk})),
]
