"""Task records others may link to (see aims.core.records)."""

from aims.core.records import RecordKind

KINDS = [
    RecordKind(key="task", model="tasks.Task", label="Task",
               url=lambda o, slug: f"/o/{slug}/tasks/#task-{o.pk}"),
]
