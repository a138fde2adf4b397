"""Incidents, nonconformities and improvement opportunities others may link to."""

from django.urls import reverse

from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key="incident", model="improvement.Incident", label="Incident",
               url=lambda o, slug: reverse("improvement:incident_detail",
                                           kwargs={"slug": slug, "incident_id": o.pk})),
    RecordKind(key="nonconformity", model="improvement.Nonconformity", label="Nonconformity",
               url=lambda o, slug: reverse("improvement:nc_detail",
                                           kwargs={"slug": slug, "nc_id": o.pk})),
    RecordKind(key="improvement", model="improvement.Improvement",
               label="Improvement opportunity",
               url=lambda o, slug: reverse("improvement:improvement_detail",
                                           kwargs={"slug": slug, "improvement_id": o.pk})),
]
