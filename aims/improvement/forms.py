from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils import timezone

from aims.core.forms import DatePicker, PickerCheckboxes, VersionedForm, describe_fields
from aims.improvement.models import (
    MAX_WHYS,
    Effectiveness,
    Improvement,
    ImprovementSource,
    ImprovementStatus,
    Incident,
    IncidentSeverity,
    IncidentStatus,
    IncidentType,
    NcSeverity,
    NcSource,
    NcStatus,
    Nonconformity,
)
from aims.improvement.selectors import AGE_LABELS
from aims.tasks.models import Priority, Task

ROWS = 3
NOBODY = ("", "— nobody yet —")


class DateTimePicker(forms.DateTimeInput):
    """A native date-and-time picker (local time, minutes)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _rows(fields) -> None:
    for f in fields.values():
        if isinstance(f.widget, forms.Textarea):
            f.widget.attrs["rows"] = ROWS


def _owner_field(model, owner_choices, *, required=False, name="owner") -> forms.ChoiceField:
    field = model._meta.get_field(name) if name in {f.name for f in model._meta.fields} else None
    return forms.ChoiceField(choices=[NOBODY, *owner_choices], required=required,
                             label=name.replace("_", " ").capitalize(),
                             help_text=field.help_text if field else "")


class OriginFields(forms.Form):
    """The record a new incident, nonconformity or improvement is raised from."""

    origin_kind = forms.CharField(required=False, widget=forms.HiddenInput)
    origin_id = forms.CharField(required=False, widget=forms.HiddenInput)


# ---------------------------------------------------------------------------- incidents

INCIDENT_FIELDS = (
    "title", "incident_type", "severity", "occurred_at", "detected_at", "description",
    "containment", "status", "communication_needed", "communicated_at", "communication_method",
    "communication_note", "reporting_needed", "report_to", "report_deadline", "reported_at",
    "report_reference")
DATETIMES = ("occurred_at", "detected_at", "communicated_at", "report_deadline", "reported_at")


class IncidentForm(VersionedForm, OriginFields):
    def __init__(self, *args, owner_choices, system_choices, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Incident, fields=INCIDENT_FIELDS,
                                  widgets={k: DateTimePicker() for k in DATETIMES})
        _rows(fields)
        fields["communication_method"].widget = forms.TextInput()
        fields["owner"] = _owner_field(Incident, owner_choices)
        fields["ai_systems"] = forms.MultipleChoiceField(
            choices=system_choices, required=False, widget=forms.CheckboxSelectMultiple,
            label="AI systems", help_text=Incident._meta.get_field("ai_systems").help_text)
        keep = {k: self.fields[k] for k in ("version", "origin_kind", "origin_id")}
        self.fields = {**fields, **keep}
        describe_fields(self)

    @classmethod
    def initial_for(cls, incident: Incident) -> dict:
        initial = {k: getattr(incident, k) for k in (*INCIDENT_FIELDS, "version")}
        initial["owner"] = str(incident.owner_id or "")
        initial["ai_systems"] = [str(s.pk) for s in incident.ai_systems.all()]
        return initial

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items()
                if k not in ("version", "origin_kind", "origin_id")}
        data["owner"] = data.get("owner") or None
        return data


class IncidentFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", widget=forms.TextInput(
        attrs={"type": "search", "placeholder": "Title, description, INC-…"}))
    status = forms.ChoiceField(required=False, choices=[("", "Any status"),
                                                        *IncidentStatus.choices])
    incident_type = forms.ChoiceField(required=False, label="Type",
                                      choices=[("", "Any type"), *IncidentType.choices])
    severity = forms.ChoiceField(required=False, choices=[("", "Any severity"),
                                                          *IncidentSeverity.choices])
    ai_system = forms.ChoiceField(required=False, label="AI system")
    owner = forms.ChoiceField(required=False)
    reporting_overdue = forms.BooleanField(required=False, label="Reporting overdue")

    def __init__(self, *args, owner_choices, system_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Anyone"), *owner_choices]
        self.fields["ai_system"].choices = [("", "Any"), *system_choices]


# ---------------------------------------------------------------------------- nonconformities

NC_FACTS = ("title", "source", "severity", "raised_on", "description", "correction",
            "corrected_on")
NC_ANALYSIS = ("rca_method", "analysis", "root_cause")


class NonconformityForm(VersionedForm, OriginFields):
    """Raising (facts and correction) or, with `analysis`, the whole record including the
    root-cause analysis."""

    def __init__(self, *args, owner_choices, requirement_choices, analysis: bool = False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        names = NC_FACTS + (NC_ANALYSIS if analysis else ())
        fields = fields_for_model(Nonconformity, fields=names,
                                  widgets={"raised_on": DatePicker(),
                                           "corrected_on": DatePicker()})
        _rows(fields)
        fields["requirement"] = forms.ChoiceField(
            choices=[("", "— none in particular —"), *requirement_choices], required=False,
            label="Requirement affected",
            help_text=Nonconformity._meta.get_field("requirement").help_text)
        fields["owner"] = _owner_field(Nonconformity, owner_choices)
        if analysis:
            fields["rca_method"].widget = forms.RadioSelect(
                choices=fields["rca_method"].choices[1:])
            for i in range(1, MAX_WHYS + 1):
                fields[f"why_{i}"] = forms.CharField(
                    required=False, label=f"Why {i}",
                    help_text="Why did it happen?" if i == 1 else
                    f"And why did answer {i - 1} happen?")
        keep = {k: self.fields[k] for k in ("version", "origin_kind", "origin_id")}
        self.fields = {**fields, **keep}
        describe_fields(self)

    @classmethod
    def initial_for(cls, nc: Nonconformity) -> dict:
        initial = {k: getattr(nc, k) for k in (*NC_FACTS, *NC_ANALYSIS, "version")}
        initial["owner"] = str(nc.owner_id or "")
        initial["requirement"] = nc.requirement.ref if nc.requirement is not None else ""
        for i, why in enumerate(nc.whys, start=1):
            initial[f"why_{i}"] = why
        return initial

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items()
                if k not in ("version", "origin_kind", "origin_id")
                and not k.startswith("why_")}
        data["owner"] = data.get("owner") or None
        data["requirement"] = data.get("requirement") or None
        if "rca_method" in self.fields:
            data["whys"] = [self.cleaned_data.get(f"why_{i}", "")
                            for i in range(1, MAX_WHYS + 1)]
            if data.get("rca_method") != "five_whys" and not any(w.strip() for w in data["whys"]):
                data["whys"] = []
        return data


class ActionForm(forms.Form):
    def __init__(self, *args, owner_choices, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Task, fields=("title", "description", "due_date", "priority"),
                                  widgets={"due_date": DatePicker()})
        fields["description"].widget.attrs["rows"] = 2
        fields["due_date"].required = True
        fields["owner"] = forms.ChoiceField(choices=[("", "— choose —"), *owner_choices],
                                            label="Owner",
                                            help_text="The member who carries the action out.")
        self.fields = {k: fields[k] for k in ("title", "owner", "due_date", "priority",
                                              "description")}
        self.fields["priority"].initial = Priority.NORMAL
        describe_fields(self)


class CompleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(required=False, label="Completion note",
                           help_text="What was done (optional).")


class VerifyForm(VersionedForm):
    result = forms.ChoiceField(choices=Effectiveness.choices, widget=forms.RadioSelect,
                               label="Were the actions effective?")
    verified_on = forms.DateField(widget=DatePicker(), label="Verified on",
                                  help_text="When the check was made.")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": ROWS}), required=False,
                            label="What was checked",
                            help_text="The sample, records or results that show whether the "
                                      "problem has stopped recurring.")
    evidence = forms.MultipleChoiceField(required=False, label="Evidence relied on",
                                         widget=PickerCheckboxes,
                                         help_text="Existing evidence to link to the "
                                                   "nonconformity.")

    def __init__(self, *args, evidence_choices, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("verified_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = evidence_choices
        if not evidence_choices:
            del self.fields["evidence"]
        describe_fields(self)


class NcFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", widget=forms.TextInput(
        attrs={"type": "search", "placeholder": "Title, description, NC-…, 9.2"}))
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *NcStatus.choices])
    source = forms.ChoiceField(required=False, choices=[("", "Any source"), *NcSource.choices])
    severity = forms.ChoiceField(required=False, choices=[("", "Any severity"),
                                                          *NcSeverity.choices])
    owner = forms.ChoiceField(required=False)
    age = forms.ChoiceField(required=False, label="Age (open)",
                            choices=[("", "Any age"), *AGE_LABELS.items()])
    overdue = forms.BooleanField(required=False, label="Overdue actions")

    def __init__(self, *args, owner_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Anyone"), *owner_choices]


# ---------------------------------------------------------------------------- improvement

IMPROVEMENT_FIELDS = ("title", "description", "source", "status", "benefit", "target_date")


class ImprovementForm(VersionedForm, OriginFields):
    def __init__(self, *args, owner_choices, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Improvement, fields=IMPROVEMENT_FIELDS,
                                  widgets={"target_date": DatePicker()})
        _rows(fields)
        fields["owner"] = _owner_field(Improvement, owner_choices)
        keep = {k: self.fields[k] for k in ("version", "origin_kind", "origin_id")}
        order = ("title", "description", "benefit", "source", "status", "owner", "target_date")
        self.fields = {k: fields[k] for k in order} | keep
        describe_fields(self)

    @classmethod
    def initial_for(cls, item: Improvement) -> dict:
        initial = {k: getattr(item, k) for k in (*IMPROVEMENT_FIELDS, "version")}
        initial["owner"] = str(item.owner_id or "")
        return initial

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items()
                if k not in ("version", "origin_kind", "origin_id")}
        data["owner"] = data.get("owner") or None
        return data


class ImprovementFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", widget=forms.TextInput(
        attrs={"type": "search", "placeholder": "Title, benefit, IMP-…"}))
    status = forms.ChoiceField(required=False, choices=[("", "Any status"),
                                                        *ImprovementStatus.choices])
    source = forms.ChoiceField(required=False, choices=[("", "Any source"),
                                                        *ImprovementSource.choices])
    owner = forms.ChoiceField(required=False)

    def __init__(self, *args, owner_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Anyone"), *owner_choices]
