"""The web forms of integrations: a new integration token, and a model card upload."""

from __future__ import annotations

from django import forms

from aims.integrations.modelcard import MAX_BYTES


class IntegrationTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, label="Name",
        help_text="What will hold the token: the pipeline, repository or tool (e.g. "
                  "“claims-model CI”). The activity log names the token by it.")
    expires_in_days = forms.IntegerField(
        required=False, min_value=1, max_value=3660, label="Expires after (days)",
        help_text="The token stops working after this many days. Leave empty for a token "
                  "that works until it is revoked.")
    controls = forms.CharField(
        required=False, label="Only these controls",
        help_text="Refs separated by commas (A.6.2.4, A.7.5). The token can then link "
                  "evidence to these controls only. Leave empty for any control.")
    systems = forms.MultipleChoiceField(
        required=False, label="Only these AI systems", widget=forms.CheckboxSelectMultiple,
        help_text="The token can then link evidence to these AI systems only. Tick none for "
                  "any AI system.")

    def __init__(self, *args, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["systems"].choices = systems

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {"name": d["name"], "expires_in_days": d["expires_in_days"],
                "controls": [r.strip() for r in d["controls"].split(",") if r.strip()],
                "systems": d["systems"]}


class ModelCardForm(forms.Form):
    file = forms.FileField(
        label="Model card",
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,.json,.txt"}),
        help_text="A Hugging Face model card (the README.md, with its YAML front matter) or "
                  "MLflow run or model metadata saved as JSON, at most "
                  f"{MAX_BYTES // 1024 // 1024} MB, UTF-8.")
