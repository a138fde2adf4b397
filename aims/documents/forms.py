from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model

from aims.core.forms import DatePicker, PickerCheckboxes, VersionedForm, describe_fields
from aims.documents.models import (
    MAX_REVIEW_INTERVAL_MONTHS,
    Document,
    DocumentKind,
    DocumentVersion,
)
from aims.documents.selectors import REVIEW_CHOICES, STATUS_CHOICES
from aims.documents.starters import STARTERS
from aims.records import approval

CONTENT_ROWS = 22


def _requirement_field(choices: list[tuple[str, str]]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices, required=False, widget=PickerCheckboxes,
        label="Requirements satisfied",
        help_text=Document._meta.get_field("requirements").help_text
        + " Tick each one; type to filter the list.")


def _document_fields(owner_choices, requirement_choices) -> dict[str, forms.Field]:
    fields = fields_for_model(Document, fields=("title", "kind", "description",
                                                "review_interval_months"))
    fields["description"].widget.attrs["rows"] = 2
    fields["review_interval_months"].min_value = 1
    fields["review_interval_months"].widget.attrs.update(
        {"min": 1, "max": MAX_REVIEW_INTERVAL_MONTHS})
    fields["owner"] = forms.ChoiceField(
        choices=[("", "— nobody yet —"), *owner_choices], required=False,
        help_text=Document._meta.get_field("owner").help_text)
    fields["requirements"] = _requirement_field(requirement_choices)
    return fields


class DocumentCreateForm(forms.Form):
    """A new document: its facts, and where version 1 starts from."""

    def __init__(self, *args, owner_choices, requirement_choices, **kwargs):
        super().__init__(*args, **kwargs)
        fields = _document_fields(owner_choices, requirement_choices)
        fields["title"].required = False
        fields["title"].help_text += " Left empty, the template's title is used."
        fields["template"] = forms.ChoiceField(
            required=False, label="Start from",
            choices=[("", "A blank page"), *[(s.key, f"Template: {s.title}") for s in STARTERS]],
            help_text="A template gives version 1 a structure and wording to adapt, written for "
                      "aims (not copied from any standard). Its kind and requirements are used "
                      "unless you choose others.")
        self.fields = {name: fields[name] for name in (
            "template", "title", "kind", "description", "owner", "review_interval_months",
            "requirements")}
        self.fields["kind"].required = False
        self.fields["kind"].choices = [("", "— from the template, else procedure —"),
                                       *DocumentKind.choices]
        # Not the model's default (procedure): pre-selected, it would be sent with the form
        # and override the template's kind.
        self.fields["kind"].initial = ""
        describe_fields(self)

    def clean(self):
        data = super().clean()
        if not data.get("title") and not data.get("template"):
            self.add_error("title", "Give the document a title, or start from a template.")
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for key in ("template", "kind", "title"):
            if not data.get(key):
                data.pop(key, None)
        data["owner"] = data.get("owner") or None
        return data


class DocumentForm(VersionedForm):
    """What is said about a document (its text lives in versions)."""

    def __init__(self, *args, owner_choices, requirement_choices, **kwargs):
        super().__init__(*args, **kwargs)
        fields = _document_fields(owner_choices, requirement_choices)
        version = self.fields.pop("version")
        self.fields = {**fields, "version": version}
        describe_fields(self)

    @classmethod
    def initial_for(cls, document: Document) -> dict:
        return {"title": document.title, "kind": document.kind,
                "description": document.description, "owner": str(document.owner_id or ""),
                "review_interval_months": document.review_interval_months,
                "requirements": [r.ref for r in document.requirements.all()],
                "version": document.version}

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["owner"] = data.get("owner") or None
        return data


class VersionForm(VersionedForm):
    """A draft's text (or file) and its change summary."""

    file = forms.FileField(
        required=False, label="Or upload the document as a file",
        help_text="A PDF, Word or other file in place of Markdown text; clear the text above "
                  "first. The file is stored by its SHA-256 fingerprint.")

    def __init__(self, *args, has_file: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(DocumentVersion, fields=("content", "change_summary"))
        fields["content"].widget.attrs.update({"rows": CONTENT_ROWS, "class": "markdown-input"})
        fields["content"].label = "Text (Markdown)"
        fields["change_summary"].widget.attrs["rows"] = 2
        fields["content"].strip = False
        upload = self.fields.pop("file")
        version = self.fields.pop("version")
        self.fields = {**fields, "file": upload}
        if has_file:
            self.fields["remove_file"] = forms.BooleanField(
                required=False, label="Remove the uploaded file",
                help_text="To write the version as Markdown text instead.")
        self.fields["version"] = version
        describe_fields(self)

    @classmethod
    def initial_for(cls, version: DocumentVersion) -> dict:
        return {"content": version.content, "change_summary": version.change_summary,
                "version": version.version}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "file")}


class NewVersionForm(forms.Form):
    change_summary = forms.CharField(
        required=False, label="What will change", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional now, expected before review: what this version changes and why.")


SubmitForm = approval.DecisionForm
ReturnForm = approval.ReturnForm


class ApproveForm(approval.ApproveForm):
    effective_from = forms.DateField(
        required=False, label="In force from", widget=DatePicker,
        help_text="Left empty, the approval date. A later date lets people prepare; until "
                  "then the current version stays in force.")


class InForceForm(forms.Form):
    on = forms.DateField(label="Version in force on", widget=DatePicker,
                         help_text="See which version applied on a past (or future) day.")


class DocumentFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Reference, title…"}))
    kind = forms.ChoiceField(required=False, label="Kind",
                             choices=[("", "Any kind"), *DocumentKind.choices])
    status = forms.ChoiceField(required=False, label="Versions",
                               choices=[("", "Any"), *STATUS_CHOICES])
    review = forms.ChoiceField(required=False, label="Review",
                               choices=[("", "Any review date"), *REVIEW_CHOICES])
