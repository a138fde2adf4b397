from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model

from aims.core.forms import DatePicker, VersionedForm, choice_field, describe_fields
from aims.inventory.models import (
    AISystem,
    DeploymentApproval,
    EuRiskClass,
    LifecycleRecord,
    LifecycleStage,
    OrgRole,
    Resource,
    ResourceKind,
    SystemChange,
    SystemStatus,
)

MODEL_FIELDS = (
    "name", "intended_purpose", "description", "business_unit", "lifecycle_stage",
    "in_scope", "scope_justification", "deployment_context", "affected_parties",
    "data_categories", "processes_personal_data", "human_oversight", "third_party_components",
    "eu_risk_class", "status",
)
TEXTAREA_ROWS = 3


class AISystemForm(VersionedForm):
    def __init__(self, *args, owner_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(AISystem, fields=MODEL_FIELDS)
        for f in fields.values():
            if isinstance(f.widget, forms.Textarea):
                f.widget.attrs["rows"] = TEXTAREA_ROWS
        fields["owner"] = forms.ChoiceField(
            choices=[("", "— nobody yet —"), *owner_choices], required=False,
            help_text=AISystem._meta.get_field("owner").help_text)
        fields["roles"] = forms.MultipleChoiceField(
            choices=OrgRole.choices, widget=forms.CheckboxSelectMultiple,
            help_text=AISystem._meta.get_field("roles").help_text)
        fields["lifecycle_stage"].help_text = (
            "Where the system is now. A later change of stage is recorded in its lifecycle "
            "history, and a move to deployed needs its deployment checks to pass (a new "
            "system starts at an earlier stage: the checks need it to exist).")
        fields["processes_personal_data"].label = "Processes personal data"
        fields["in_scope"].label = "Inside the AIMS scope"
        order = ["name", "intended_purpose", "description", "owner", "business_unit",
                 "lifecycle_stage", "status", "roles", "in_scope", "scope_justification",
                 "eu_risk_class", "deployment_context", "affected_parties", "data_categories",
                 "processes_personal_data", "human_oversight", "third_party_components"]
        version = self.fields.pop("version")
        self.fields = {name: fields[name] for name in order} | {"version": version}
        describe_fields(self)

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["owner"] = data.get("owner") or None
        return data


class AISystemFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Name, purpose, unit…"}))
    lifecycle_stage = forms.ChoiceField(required=False, label="Lifecycle stage",
                                        choices=[("", "Any stage"), *LifecycleStage.choices])
    eu_risk_class = forms.ChoiceField(required=False, label="EU AI Act class",
                                      choices=[("", "Any class"), *EuRiskClass.choices])
    role = forms.ChoiceField(required=False, label="Our role",
                             choices=[("", "Any role"), *OrgRole.choices])
    status = forms.ChoiceField(required=False, label="Status",
                               choices=[("", "Any status"), *SystemStatus.choices])
    in_scope = forms.ChoiceField(required=False, label="AIMS scope",
                                 choices=[("", "In or out"), ("yes", "In scope"),
                                          ("no", "Out of scope")])


class SystemChangeForm(forms.Form):
    """One entry of an AI system's change log."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = fields_for_model(SystemChange,
                                       fields=("description", "significant", "changed_on"))
        self.fields["description"].widget.attrs["rows"] = 2
        self.fields["changed_on"].widget = DatePicker()
        describe_fields(self)

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


# ---------------------------------------------------------------------------- lifecycle


class StageChangeForm(VersionedForm):
    """Move a system to another stage, saying why."""

    def __init__(self, *args, system: AISystem, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.fields.pop("version")
        version.required = True
        # Named like the system's field, so a refused move's reasons land next to it.
        self.fields["lifecycle_stage"] = forms.ChoiceField(
            label="Move to", choices=[(v, label) for v, label in LifecycleStage.choices
                                      if v != system.lifecycle_stage],
            help_text="Moving to deployed needs the deployment checks to pass; other moves are "
                      "recorded without checks.")
        note = fields_for_model(LifecycleRecord, fields=("note",))["note"]
        note.widget.attrs["rows"] = 2
        self.fields["note"] = note
        self.fields["version"] = version
        describe_fields(self)


class DeploymentApprovalForm(VersionedForm):
    """An owner's or admin's approval of a deployment."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.fields.pop("version")
        version.required = True
        note = fields_for_model(DeploymentApproval, fields=("note",))["note"]
        note.widget.attrs["rows"] = 2
        self.fields["note"] = note
        self.fields["version"] = version
        describe_fields(self)


# ---------------------------------------------------------------------------- resources

RESOURCE_FIELDS = ("name", "kind", "description", "location", "data_categories",
                   "data_provenance", "quality_notes", "retention", "contains_personal_data")


class ResourceForm(VersionedForm):
    def __init__(self, *args, owner_choices: list[tuple[str, str]],
                 system_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Resource, fields=RESOURCE_FIELDS)
        for f in fields.values():
            if isinstance(f.widget, forms.Textarea):
                f.widget.attrs["rows"] = TEXTAREA_ROWS
        fields["owner"] = forms.ChoiceField(
            choices=[("", "— nobody yet —"), *owner_choices], required=False,
            help_text=Resource._meta.get_field("owner").help_text)
        fields["ai_systems"] = forms.MultipleChoiceField(
            choices=system_choices, required=False, widget=forms.CheckboxSelectMultiple,
            label="AI systems", help_text=Resource._meta.get_field("ai_systems").help_text)
        order = ["name", "kind", "description", "location", "owner", "ai_systems",
                 "data_categories", "data_provenance", "quality_notes", "retention",
                 "contains_personal_data"]
        version = self.fields.pop("version")
        self.fields = {name: fields[name] for name in order} | {"version": version}
        describe_fields(self)

    @staticmethod
    def initial_for(resource: Resource) -> dict:
        initial = {name: getattr(resource, name) for name in (*RESOURCE_FIELDS, "version")}
        initial["owner"] = str(resource.owner_id or "")
        initial["ai_systems"] = [str(s.pk) for s in resource.ai_systems.all()]
        return initial

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["owner"] = data.get("owner") or None
        return data


class ResourceFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Name, location, data…"}))
    kind = forms.ChoiceField(required=False, label="Kind",
                             choices=[("", "Any kind"), *ResourceKind.choices])
    ai_system = forms.ChoiceField(required=False, label="AI system")

    def __init__(self, *args, system_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "ai_system").choices = [("", "Any AI system"), *system_choices]
