"""Task records others may link to (see aims.records.kinds)."""

from django.urls import reverse

from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key="task", model="tasks.Task", label="Task",
               url=lambda o, slug: reverse("tasks:detail",
                                           kwargs={"slug": slug, "task_id": o.pk})),
]
