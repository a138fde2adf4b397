from __future__ import annotations

from django import forms

from aims.compliance.models import ImplementationStatus
from aims.core.forms import choice_field
from aims.frameworks.coverage import VERDICT_LABELS


class ReportingForm(forms.Form):
    frameworks = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple,
        label="Frameworks you report against",
        help_text="Besides ISO/IEC 42001. Each one gets a coverage view computed from your "
                  "ISO/IEC 42001 record; choosing one changes no decision in the record.")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "frameworks").choices = choices


class CoverageFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Ref or title"}))
    verdict = forms.ChoiceField(required=False, label="Verdict",
                                choices=[("", "Any verdict"), *VERDICT_LABELS.items()])


class OwnFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Id, label or title"}))
    applicable = forms.ChoiceField(required=False, label="Decision", choices=[
        ("", "Any decision"), ("yes", "Applicable"), ("no", "Excluded"),
        ("undecided", "Not decided")])
    status = forms.ChoiceField(required=False, label="Status",
                               choices=[("", "Any status"), *ImplementationStatus.choices])
