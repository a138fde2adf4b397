"""Security findings others may link to (a nonconformity raised from one names it)."""

from django.urls import reverse

from aims.findings.selectors import KIND
from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key=KIND, model="findings.Finding", label="Security finding",
               url=lambda o, slug: reverse("findings:detail",
                                           kwargs={"slug": slug, "finding_id": o.pk}),
               title=lambda o: o.title),
]
