"""Task records others may link to (see aims.core.records)."""

from django.urls import reverse

from aims.core.records import RecordKind

KINDS = [
    RecordKind(key="task", model="tasks.Task", label="Task",
               url=lambda o, slug: reverse("tasks:detail",
                                           kwargs={"slug": slug, "task_id": o.pk})),
]
