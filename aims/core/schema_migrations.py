"""A migration base for migrations that only create models: one render of the project state.

Django re-renders a model and every model related to it, transitively, after each CreateModel.
In aims nearly every model points at the organisation and at the user, so each CreateModel
re-rendered nearly the whole project, and a fresh database spent most of its build there.
`CreateModels` applies the same operations with the same SQL, but brings the project state
forward for all of them first and renders the new and related models once.
"""

from __future__ import annotations

from django.db import migrations


class CreateModels(migrations.Migration):
    """A migration whose operations are all CreateModel, applied with one render."""

    def apply(self, project_state, schema_editor, collect_sql=False):
        if collect_sql or schema_editor.atomic_migration is False or not all(
                isinstance(op, migrations.CreateModel) for op in self.operations):
            return super().apply(project_state, schema_editor, collect_sql)
        rendered = project_state.__dict__.pop("apps", None)  # state_forwards renders if present
        for operation in self.operations:
            operation.state_forwards(self.app_label, project_state)
        if rendered is not None:
            project_state.__dict__["apps"] = rendered
            project_state.reload_models(
                [(self.app_label, op.name_lower) for op in self.operations], delay=False)
        for operation in self.operations:  # CreateModel reads only the state it leads to
            operation.database_forwards(self.app_label, schema_editor, project_state, project_state)
        return project_state
