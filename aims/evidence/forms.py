"""Forms of the evidence pages: add, describe, link, filter."""

from __future__ import annotations

from django import forms
from django.db import models
from django.forms.models import fields_for_model

from aims.core.forms import DatePicker, VersionedForm, describe_fields
from aims.evidence.models import Evidence, EvidenceKind, Freshness
from aims.evidence.selectors import SORTS

DESCRIBED = ("title", "description", "effective_from", "effective_to", "valid_until", "source")
TEXTAREA_ROWS = 3


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"  # an address typed without one is https
    return field.formfield(**kwargs)


def _model_fields(names) -> dict[str, forms.Field]:
    fields = fields_for_model(Evidence, fields=names, formfield_callback=_formfield)
    for f in fields.values():
        if isinstance(f.widget, forms.Textarea):
            f.widget.attrs["rows"] = TEXTAREA_ROWS
        if isinstance(f, forms.DateField):
            f.widget = DatePicker()
    return fields


def _owner_field(owner_choices) -> forms.ChoiceField:
    return forms.ChoiceField(choices=[("", "— nobody yet —"), *owner_choices], required=False,
                             help_text=Evidence._meta.get_field("owner").help_text)


class RecordPicker(forms.Form):
    """A kind of record, then one record of that kind (its choices follow the kind)."""

    def __init__(self, *args, kinds: list[tuple[str, str]], records: list[tuple[str, str]],
                 required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_kind"] = forms.ChoiceField(
            choices=[("", "— choose a kind —"), *kinds], required=required,
            label="Kind of record", help_text="What the evidence supports: a control, a risk, "
                                              "an AI system, an impact assessment…")
        # Any id: the service checks it is a record of this organisation and of that kind.
        self.fields["subject_id"] = forms.CharField(
            required=required, label="Record", widget=forms.Select(
                choices=[("", "— choose a record —"), *records]))


class EvidenceForm(VersionedForm):
    """Add evidence: a file, a link or a note, described, and what it supports."""

    def __init__(self, *args, owner_choices, kinds, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("version")
        fields = _model_fields((*DESCRIBED, "url", "note"))
        self.fields["kind"] = forms.ChoiceField(
            choices=EvidenceKind.choices, widget=forms.RadioSelect, initial=EvidenceKind.FILE,
            label="What you are adding")
        self.fields["file"] = forms.FileField(
            required=False, allow_empty_file=False,
            help_text="Stored once by its SHA-256 fingerprint; the name is kept for download.")
        self.fields.update({"url": fields["url"], "note": fields["note"]})
        for name in DESCRIBED:
            self.fields[name] = fields[name]
        self.fields["owner"] = _owner_field(owner_choices)
        picker = RecordPicker(kinds=kinds, records=records, required=False)
        self.fields.update(picker.fields)
        self.fields["next"] = forms.CharField(required=False, widget=forms.HiddenInput)
        describe_fields(self)

    def service_data(self) -> dict:
        d = self.cleaned_data
        data = {name: d[name] for name in DESCRIBED}
        data["kind"] = d["kind"]
        data["owner"] = d["owner"] or None
        if d["kind"] == EvidenceKind.LINK:
            data["url"] = d["url"]
        if d["kind"] == EvidenceKind.NOTE:
            data["note"] = d["note"]
        return data


class EvidenceEditForm(VersionedForm):
    """What is said about evidence; its content (the file) never changes."""

    def __init__(self, *args, evidence: Evidence, owner_choices, **kwargs):
        super().__init__(*args, **kwargs)
        names = list(DESCRIBED)
        if evidence.kind == EvidenceKind.LINK:
            names.insert(1, "url")
        if evidence.kind == EvidenceKind.NOTE:
            names.insert(1, "note")
        version = self.fields.pop("version")
        fields = _model_fields(names)
        fields["owner"] = _owner_field(owner_choices)
        self.fields = {n: fields[n] for n in [*names, "owner"]} | {"version": version}
        if "url" in self.fields:
            self.fields["url"].required = True
        if "note" in self.fields:
            self.fields["note"].required = True
        describe_fields(self)

    @staticmethod
    def initial_for(evidence: Evidence) -> dict:
        names = (*DESCRIBED, "url", "note")
        return {**{n: getattr(evidence, n) for n in names},
                "owner": str(evidence.owner_id or ""), "version": evidence.version}

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["owner"] = data.get("owner") or None
        return data


class EvidenceFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", widget=forms.TextInput(
        attrs={"type": "search", "placeholder": "Reference, title, file, source, SHA-256…"}))
    kind = forms.ChoiceField(required=False, label="Kind",
                             choices=[("", "Any kind"), *EvidenceKind.choices])
    freshness = forms.ChoiceField(required=False, label="Freshness",
                                  choices=[("", "Any"), *Freshness.choices])
    owner = forms.ChoiceField(required=False, label="Owner")
    linked_kind = forms.ChoiceField(required=False, label="Supports")
    # Set by a record's "all its evidence" link, with linked_kind: that one record's evidence.
    linked_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    covers_from = forms.DateField(required=False, label="Covers from", widget=DatePicker())
    covers_to = forms.DateField(required=False, label="Covers to", widget=DatePicker())
    sort = forms.ChoiceField(required=False, label="Sort",
                             choices=[(k, label) for k, (label, _) in SORTS.items()])

    def __init__(self, *args, owner_choices, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Anyone"), *owner_choices]
        self.fields["linked_kind"].choices = [("", "Any record"), *kinds]

    def filter_values(self) -> dict:
        d = dict(self.cleaned_data)
        d["sort"] = d.get("sort") or "newest"
        return d
