"""Compliance items (a requirement as it applies to the organisation) others may link to."""

from django.urls import reverse

from aims.core.records import RecordKind


def _url(item, slug: str) -> str:
    if item.requirement.is_control:
        return reverse("compliance:soa", kwargs={"slug": slug}) + f"#ctl-{item.requirement.ref}"
    return reverse("compliance:clauses", kwargs={"slug": slug}) + f"#req-{item.requirement.ref}"


KINDS = [
    RecordKind(key="compliance_item", model="compliance.ComplianceItem", label="Requirement",
               select_related=("requirement",), url=_url),
]
