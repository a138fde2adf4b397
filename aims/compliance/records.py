"""Compliance items (a requirement as it applies to the organisation) others may link to,
and the items every organisation starts with."""

from django.urls import reverse

from aims.compliance.services import compliance_items_seed, compliance_items_upgrade
from aims.records import hooks
from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key="compliance_item", model="compliance.ComplianceItem", label="Requirement",
               select_related=("requirement", "requirement__framework"),
               url=lambda item, slug: _url(item, slug)),
]


def _url(item, slug: str) -> str:
    """An ISO/IEC 42001 item's page, or the page of a control of the organisation's own
    framework (brought in from an OSCAL catalog)."""
    fw = item.requirement.framework
    if fw.org_id:
        return reverse("frameworks:own_item", kwargs={
            "slug": slug, "catalog": fw.code, "control": item.requirement.ref})
    return reverse("compliance:item", kwargs={"slug": slug, "ref": item.requirement.ref})
HOOKS = {
    hooks.ORG_SEED: compliance_items_seed,
    hooks.INSTANCE_UPGRADE: compliance_items_upgrade,
}
