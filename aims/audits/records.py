"""Audit records others may link to (see aims.records.kinds): a nonconformity points at the
checklist line (the finding) it came from."""

from django.urls import reverse

from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key="audit_programme", model="audits.AuditProgramme", label="Audit programme",
               url=lambda o, slug: reverse("audits:programme",
                                           kwargs={"slug": slug, "programme_id": o.pk}),
               title=lambda o: o.name),
    RecordKind(key="audit", model="audits.Audit", label="Internal audit",
               url=lambda o, slug: reverse("audits:detail",
                                           kwargs={"slug": slug, "audit_id": o.pk})),
    RecordKind(key="audit_line", model="audits.AuditLine", label="Audit finding",
               url=lambda o, slug: reverse("audits:detail",
                                           kwargs={"slug": slug, "audit_id": o.audit_id})
               + f"?tab=checklist#line-{o.pk}",
               title=lambda o: (f"{o.audit.ref} {o.requirement.ref}"
                                f"{' · ' + o.ai_system.name if o.ai_system_id else ''}"
                                f" ({o.get_result_display().lower()})"),
               select_related=("audit", "requirement", "ai_system")),
]
