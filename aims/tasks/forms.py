from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.urls import reverse

from aims.core.forms import DatePicker, VersionedForm, choice_field, describe_fields
from aims.evidence.models import Evidence, EvidenceKind
from aims.records.kinds import kinds, options
from aims.tasks.models import Priority, Task, TaskKind, TaskStatus

TASK_FIELDS = ("title", "description", "kind", "priority", "due_date", "recurrence_every",
               "recurrence_unit")


def subject_kind_choices() -> list[tuple[str, str]]:
    """The kinds of record a task can be about (any registered kind but tasks themselves)."""
    return [("", "— not about a particular record —"),
            *sorted(((k.key, k.label) for k in kinds().values() if k.key != "task"),
                    key=lambda c: c[1])]


def subject_id_choices(ctx, kind: str) -> list[tuple[str, str]]:
    if kind not in kinds() or kind == "task":
        return [("", "— choose the kind of record first —")]
    return [("", "— choose a record —"), *options(ctx=ctx, kind=kind)]


class TaskForm(VersionedForm):
    """A task; when `with_subject`, also the record it is about (set once, at creation)."""

    def __init__(self, *args, ctx, owner_choices: list[tuple[str, str]],
                 with_subject: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Task, fields=TASK_FIELDS)
        fields["description"].widget.attrs["rows"] = 3
        fields["due_date"].widget = DatePicker()
        fields["recurrence_every"].widget.attrs.update(min=1, max=365)
        fields["recurrence_unit"].choices = [("", "— one-off —"),
                                             *fields["recurrence_unit"].choices[1:]]
        fields["owner"] = forms.ChoiceField(
            choices=[("", "— nobody yet —"), *owner_choices], required=False,
            help_text=Task._meta.get_field("owner").help_text + " An evidence request goes "
                      "to someone who can add evidence (an owner, admin or editor).")
        order = ["title", "kind", "description", "owner", "priority", "due_date",
                 "recurrence_every", "recurrence_unit"]
        if with_subject:
            kind = (self.data.get("subject_kind") if self.is_bound
                    else self.initial.get("subject_kind")) or ""
            fields["subject_kind"] = forms.ChoiceField(
                choices=subject_kind_choices(), required=False, label="About a kind of record",
                help_text="Evidence requests, reviews and actions are usually about one record: "
                          "a control, a risk, an AI system, a document…")
            # The record picker follows the kind without a page load (htmx sends the value).
            fields["subject_kind"].widget.attrs.update({
                "hx-get": reverse("tasks:subject_options", args=[ctx.org.slug]),
                "hx-target": "#subject-id-field", "hx-swap": "outerHTML",
                "hx-trigger": "change"})
            fields["subject_id"] = forms.ChoiceField(
                choices=subject_id_choices(ctx, kind), required=False, label="Record")
            order += ["subject_kind", "subject_id"]
        version = self.fields.pop("version")
        self.fields = {name: fields[name] for name in order} | {"version": version}
        describe_fields(self)

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["owner"] = data.get("owner") or None
        if "subject_kind" in data:
            data["subject_kind"] = data["subject_kind"] or None
            data["subject_id"] = data.get("subject_id") or None
        return data


class CompleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(required=False, label="Completion note",
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="What was done, or where the result is (optional).")


EVIDENCE_FIELDS = ("title", "description", "url", "note", "effective_from", "effective_to",
                   "valid_until")


class AnswerForm(forms.Form):
    """The evidence that answers an evidence request: a file, a link or a note."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Evidence, fields=EVIDENCE_FIELDS)
        fields["title"].required = False
        fields["title"].help_text = "What it is, as an auditor would ask for it (the request's " \
                                    "title if left empty)."
        fields["description"].widget.attrs["rows"] = 2
        fields["note"].widget.attrs["rows"] = 3
        for name in ("effective_from", "effective_to", "valid_until"):
            fields[name].widget = DatePicker()
        self.fields = {
            "kind": forms.ChoiceField(
                choices=EvidenceKind.choices, initial=EvidenceKind.FILE,
                widget=forms.RadioSelect, label="Answer with"),
            "file": forms.FileField(required=False, label="File to upload",
                                    help_text="For a file: the document, export or screenshot."),
            **fields,
            "completion_note": forms.CharField(
                required=False, label="Note on the request",
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Anything the requester should know (optional)."),
            "version": forms.IntegerField(widget=forms.HiddenInput, required=False),
        }
        describe_fields(self)

    def service_data(self) -> dict:
        d = self.cleaned_data
        data = {k: d[k] for k in (*EVIDENCE_FIELDS, "kind", "completion_note")
                if d.get(k) not in (None, "")}
        return data


class TaskFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Title, T-012…"}))
    owner = forms.ChoiceField(required=False, label="Owner")
    kind = forms.ChoiceField(required=False, label="Kind",
                             choices=[("", "Any kind"), *TaskKind.choices])
    status = forms.ChoiceField(required=False, label="Status", choices=[
        ("", "Open or in progress"), ("all", "Any status"), *TaskStatus.choices])
    priority = forms.ChoiceField(required=False, label="Priority",
                                 choices=[("", "Any priority"), *Priority.choices])
    subject_kind = forms.ChoiceField(required=False, label="About")
    overdue = forms.BooleanField(required=False, label="Overdue only")
    view = forms.ChoiceField(required=False, choices=[("", "Table"), ("columns", "Columns")],
                             widget=forms.HiddenInput)

    def __init__(self, *args, owner_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "owner").choices = [("", "Anyone"), ("me", "Me"), ("none", "Nobody"),
                                               *owner_choices]
        choice_field(self, "subject_kind").choices = [("", "Any record"),
                                                      *subject_kind_choices()[1:]]
