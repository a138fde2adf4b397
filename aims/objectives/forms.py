from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils import timezone

from aims.core.fields import concrete_field
from aims.core.forms import DatePicker, VersionedForm, choice_field, describe_fields
from aims.objectives.models import (
    Indicator,
    Measurement,
    Monitor,
    MonitorResult,
    Objective,
    ObjectiveStatus,
    PolicyTopic,
    TrackStatus,
    format_value,
)

MODEL_FIELDS = ("title", "description", "policy_topic", "policy_reference", "metric", "target",
                "unit", "direction", "baseline", "frequency", "due_date", "status")
ORDER = ("title", "description", "policy_topic", "policy_reference", "metric", "direction",
         "target", "unit", "baseline", "frequency", "owner", "due_date", "status", "ai_systems")
TEXTAREA_ROWS = 3
TRACK_CHOICES = [("", "Any"), *TrackStatus.choices, ("overdue", "Measurement overdue")]


class ObjectiveForm(VersionedForm):
    def __init__(self, *args, owner_choices: list[tuple[str, str]],
                 system_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Objective, fields=MODEL_FIELDS,
                                  widgets={"due_date": DatePicker()})
        for f in fields.values():
            if isinstance(f.widget, forms.Textarea):
                f.widget.attrs["rows"] = TEXTAREA_ROWS
        fields["metric"].label = "Metric: what is measured and how"
        fields["owner"] = forms.ChoiceField(
            choices=[("", "— nobody yet —"), *owner_choices], required=False,
            help_text=Objective._meta.get_field("owner").help_text)
        fields["ai_systems"] = forms.MultipleChoiceField(
            choices=system_choices, required=False, widget=forms.CheckboxSelectMultiple,
            label="AI systems", help_text=Objective._meta.get_field("ai_systems").help_text)
        version = self.fields.pop("version")
        self.fields = {name: fields[name] for name in ORDER} | {"version": version}
        describe_fields(self)

    @classmethod
    def initial_for(cls, objective: Objective) -> dict:
        initial = {name: getattr(objective, name) for name in (*MODEL_FIELDS, "version")}
        # 0.05 as people wrote it, not the stored 0.0500.
        initial["target"] = format_value(objective.target)
        initial["baseline"] = "" if objective.baseline is None else format_value(objective.baseline)
        initial["owner"] = str(objective.owner_id or "")
        initial["ai_systems"] = [str(s.pk) for s in objective.ai_systems.all()]
        return initial

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["owner"] = data.get("owner") or None
        return data


class MeasurementForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"measured_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields = fields_for_model(Measurement, fields=("measured_on", "value", "note"),
                                       widgets={"measured_on": DatePicker()})
        self.fields["note"].widget = forms.TextInput()
        describe_fields(self)


class ObjectiveFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Title, metric, policy…"}))
    policy_topic = forms.ChoiceField(required=False, label="Policy topic",
                                     choices=[("", "Any topic"), *PolicyTopic.choices])
    owner = forms.ChoiceField(required=False, label="Owner")
    status = forms.ChoiceField(required=False, label="Status",
                               choices=[("", "Any status"), *ObjectiveStatus.choices])
    track = forms.ChoiceField(required=False, label="Track", choices=TRACK_CHOICES)

    def __init__(self, *args, owner_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "owner").choices = [("", "Anyone"), *owner_choices]


# ------------------------------------------------------------------ monitoring (9.1)

MONITOR_FIELDS = ("name", "indicator", "method", "frequency", "unit", "lower_threshold",
                  "upper_threshold", "active")
MONITOR_ORDER = ("name", "indicator", "ai_system", "method", "frequency", "unit",
                 "lower_threshold", "upper_threshold", "owner", "analyst", "active")
STATE_CHOICES = [("", "Active"), ("breached", "Latest result breached"),
                 ("overdue", "Result overdue"), ("inactive", "Inactive"), ("all", "All")]


class MonitorForm(VersionedForm):
    def __init__(self, *args, owner_choices: list[tuple[str, str]],
                 system_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Monitor, fields=MONITOR_FIELDS)
        fields["method"].widget.attrs["rows"] = TEXTAREA_ROWS
        for name in ("owner", "analyst"):
            fields[name] = forms.ChoiceField(
                choices=[("", "— nobody yet —"), *owner_choices], required=False,
                label=concrete_field(Monitor, name).verbose_name.capitalize(),
                help_text=concrete_field(Monitor, name).help_text)
        fields["ai_system"] = forms.ChoiceField(
            choices=[("", "— the AIMS as a whole —"), *system_choices], required=False,
            label="AI system", help_text=Monitor._meta.get_field("ai_system").help_text)
        version = self.fields.pop("version")
        self.fields = {name: fields[name] for name in MONITOR_ORDER} | {"version": version}
        describe_fields(self)

    @classmethod
    def initial_for(cls, monitor: Monitor) -> dict:
        initial = {name: getattr(monitor, name) for name in (*MONITOR_FIELDS, "version")}
        for name in ("lower_threshold", "upper_threshold"):
            value = getattr(monitor, name)
            initial[name] = "" if value is None else format_value(value)
        initial["owner"] = str(monitor.owner_id or "")
        initial["analyst"] = str(monitor.analyst_id or "")
        initial["ai_system"] = str(monitor.ai_system_id or "")
        return initial

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for name in ("owner", "analyst", "ai_system"):
            data[name] = data.get(name) or None
        return data


class MonitorResultForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"measured_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields = fields_for_model(MonitorResult,
                                       fields=("measured_on", "value", "note", "analysis"),
                                       widgets={"measured_on": DatePicker()})
        self.fields["note"].widget = forms.TextInput()
        self.fields["analysis"].widget.attrs["rows"] = 2
        describe_fields(self)


class MonitorFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Name, method, MON-…"}))
    indicator = forms.ChoiceField(required=False, label="Indicator",
                                  choices=[("", "Any indicator"), *Indicator.choices])
    ai_system = forms.ChoiceField(required=False, label="AI system")
    state = forms.ChoiceField(required=False, label="State", choices=STATE_CHOICES)

    def __init__(self, *args, system_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "ai_system").choices = [("", "Any"), *system_choices]
