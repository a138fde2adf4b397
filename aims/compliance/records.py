"""Compliance items (a requirement as it applies to the organisation) others may link to."""

from django.urls import reverse

from aims.core.records import RecordKind

KINDS = [
    RecordKind(key="compliance_item", model="compliance.ComplianceItem", label="Requirement",
               select_related=("requirement",),
               url=lambda item, slug: reverse("compliance:item", kwargs={
                   "slug": slug, "ref": item.requirement.ref})),
]
