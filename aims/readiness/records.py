"""Readiness records others may link to: the certification and its external audits and
findings (a nonconformity raised by the certification body points at its finding); and what
readiness finds about a requirement, for the pages of the clauses and controls."""

from django.urls import reverse

from aims.readiness.report import findings_by_requirement
from aims.records import hooks
from aims.records.kinds import RecordKind


def _certification_url(o, slug: str) -> str:
    return reverse("readiness:certification", kwargs={"slug": slug})


KINDS = [
    RecordKind(key="certification", model="readiness.Certification", label="Certification",
               url=_certification_url),
    RecordKind(key="external_audit", model="readiness.ExternalAudit",
               label="Certification body audit", url=lambda o, slug: (
                   _certification_url(o, slug) + f"#audit-{o.pk}")),
    RecordKind(key="external_finding", model="readiness.ExternalFinding",
               label="Certification body finding", select_related=("audit",),
               url=lambda o, slug: _certification_url(o, slug) + f"#audit-{o.audit_id}"),
]
HOOKS = {hooks.REQUIREMENT_FINDINGS: findings_by_requirement}
