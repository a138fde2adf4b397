"""Context records others may link to: internal and external issues, interested parties."""

from django.urls import reverse

from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key="context_issue", model="context.ContextIssue", label="Issue",
               url=lambda o, slug: reverse("context:issue_edit",
                                           kwargs={"slug": slug, "issue_id": o.pk}),
               title=lambda o: o.title),
    RecordKind(key="interested_party", model="context.InterestedParty",
               label="Interested party",
               url=lambda o, slug: reverse("context:party_edit",
                                           kwargs={"slug": slug, "party_id": o.pk}),
               title=lambda o: o.name),
]
