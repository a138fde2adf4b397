"""People records others may link to (see aims.records.kinds)."""

from django.urls import reverse

from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key="aims_role", model="people.AimsRole", label="AIMS role",
               url=lambda o, slug: reverse("people:roles_detail",
                                           kwargs={"slug": slug, "aims_role_id": o.pk})),
    RecordKind(key="training_record", model="people.TrainingRecord", label="Training record",
               url=lambda o, slug: reverse("people:training_detail",
                                           kwargs={"slug": slug, "training_record_id": o.pk}),
               select_related=("member",)),
]
