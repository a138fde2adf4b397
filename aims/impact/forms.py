from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model

from aims.core.forms import VersionedForm, choice_field, describe_fields
from aims.impact.guidance import BY_FIELD, LIKELIHOOD_HELP, SEVERITY_HELP
from aims.impact.models import (
    FRIA_TEXTS,
    SECTIONS,
    Impact,
    ImpactAssessment,
    ImpactRating,
    Status,
    Trigger,
)
from aims.impact.selectors import DUE_CHOICES
from aims.impact.services import ASSESSMENT_FIELDS, IMPACT_FIELDS, MAX_INTERVAL_MONTHS
from aims.records import approval

TEXTAREA_ROWS = 3
SECTION_ROWS = 5


def _textareas(fields: dict[str, forms.Field], rows: int = TEXTAREA_ROWS) -> None:
    for f in fields.values():
        if isinstance(f.widget, forms.Textarea):
            f.widget.attrs["rows"] = rows


class AssessmentCreateForm(forms.Form):
    ai_system = forms.ChoiceField(label="AI system",
                                  help_text="The system whose impacts you are assessing.")
    trigger = forms.ChoiceField(
        required=False, label="Trigger",
        choices=[("", "Suggest from the record"), *Trigger.choices],
        help_text="Why it is being assessed now. Left to the record, the first assessment of a "
                  "system is the initial one; later ones follow a flagged significant change or "
                  "the planned interval.")
    trigger_note = forms.CharField(
        required=False, label="What prompted it", widget=forms.Textarea(attrs={"rows": 2}),
        help_text=ImpactAssessment._meta.get_field("trigger_note").help_text)
    copy_previous = forms.BooleanField(
        required=False, initial=True, label="Start from the previous version",
        help_text="Copy the sections and impacts of the system's latest assessment, if it has "
                  "one; otherwise the purpose and context come from the inventory entry.")

    def __init__(self, *args, system_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "ai_system").choices = [("", "Choose an AI system"), *system_choices]
        describe_fields(self)

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class AssessmentForm(VersionedForm):
    """The trigger and the written sections of a draft, each with its guiding question."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(ImpactAssessment, fields=ASSESSMENT_FIELDS)
        _textareas(fields, SECTION_ROWS)
        fields["trigger_note"].widget.attrs["rows"] = 2
        fields["trigger"].label = "Trigger"
        fields["trigger_note"].label = "What prompted it"
        for name in SECTIONS:
            fields[name].label = BY_FIELD[name].title
            fields[name].help_text = BY_FIELD[name].question
        for name in FRIA_TEXTS:
            fields[name].widget.attrs["rows"] = 3
        fields["fria_notified_on"].widget = forms.DateInput(attrs={"type": "date"})
        version = self.fields.pop("version")
        self.fields = {**fields, "version": version}
        describe_fields(self)

    @classmethod
    def initial_for(cls, assessment: ImpactAssessment) -> dict:
        return {**{k: getattr(assessment, k) for k in ASSESSMENT_FIELDS},
                "version": assessment.version}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ImpactForm(VersionedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Impact, fields=IMPACT_FIELDS)
        _textareas(fields)
        fields["nature"].label = "Positive or negative"
        fields["residual_rating"] = forms.ChoiceField(
            required=False, label="Residual rating",
            choices=[("", "— (not needed for a positive impact)"), *ImpactRating.choices],
            help_text=Impact._meta.get_field("residual_rating").help_text)
        for name, helps in (("severity", SEVERITY_HELP), ("likelihood", LIKELIHOOD_HELP)):
            fields[name].help_text = f"{fields[name].help_text} " + " ".join(
                f"{v}: {text}" for v, text in helps.items())
        for name in ("area", "severity", "likelihood", "reversibility", "scale"):
            fields[name].choices = [("", "Choose…"),
                                    *[c for c in fields[name].choices if c[0] != ""]]
        version = self.fields.pop("version")
        self.fields = {**fields, "version": version}
        describe_fields(self)

    @classmethod
    def initial_for(cls, impact: Impact) -> dict:
        return {**{k: getattr(impact, k) for k in IMPACT_FIELDS}, "version": impact.version}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


SubmitForm = approval.DecisionForm
ReturnForm = approval.ReturnForm
RaiseRiskForm = approval.DecisionForm


class ApproveForm(approval.ApproveForm):
    acknowledge_changes = forms.BooleanField(
        required=False, label="This assessment takes the changes listed above into account",
        help_text="Needed when significant changes were recorded while it was open.")


class SettingsForm(VersionedForm):
    reassessment_interval_months = forms.IntegerField(
        min_value=1, max_value=MAX_INTERVAL_MONTHS, label="Re-assessment interval (months)",
        help_text="How long an approved assessment stands before it must be redone. Applies "
                  "to approvals from now on; earlier ones keep their due dates.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        describe_fields(self)

    def service_data(self) -> dict:
        return {"reassessment_interval_months": self.cleaned_data["reassessment_interval_months"]}


class AssessmentFilterForm(forms.Form):
    ai_system = forms.ChoiceField(required=False, label="AI system")
    status = forms.ChoiceField(required=False, label="Status",
                               choices=[("", "Any status"), *Status.choices])
    due = forms.ChoiceField(required=False, label="Due",
                            choices=[("", "Any due date"), *DUE_CHOICES])
    trigger = forms.ChoiceField(required=False, label="Trigger",
                                choices=[("", "Any trigger"), *Trigger.choices])

    def __init__(self, *args, system_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "ai_system").choices = [("", "Any AI system"), *system_choices]
