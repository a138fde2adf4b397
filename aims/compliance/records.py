"""Compliance items (a requirement as it applies to the organisation) others may link to,
and the items every organisation starts with."""

from django.urls import reverse

from aims.compliance.services import compliance_items_seed, compliance_items_upgrade
from aims.records import hooks
from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key="compliance_item", model="compliance.ComplianceItem", label="Requirement",
               select_related=("requirement",),
               url=lambda item, slug: reverse("compliance:item", kwargs={
                   "slug": slug, "ref": item.requirement.ref})),
]
HOOKS = {
    hooks.ORG_SEED: compliance_items_seed,
    hooks.INSTANCE_UPGRADE: compliance_items_upgrade,
}
