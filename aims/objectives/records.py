"""Objective records others may link to (see aims.core.records)."""

from django.urls import reverse

from aims.core.records import RecordKind

KINDS = [
    RecordKind(key="objective", model="objectives.Objective", label="Objective",
               url=lambda o, slug: reverse("objectives:detail",
                                           kwargs={"slug": slug, "objective_id": o.pk})),
]
